/** The Flow trigger extensions in extensions/, as Shopify CLI would read them (the simulator's reader). */
export { flowTriggerExtensions } from "../../devshop/app-config";
