/** The theme app extension rendered the way a storefront would: the simulator's renderer. */
export * from "../../devshop/theme-render";
