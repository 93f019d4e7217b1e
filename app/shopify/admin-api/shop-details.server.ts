/**
 * Reads the facts about a shop that Regulars keeps: its name, currency (points
 * are earned on shop money), time zone (tier windows and daily schedules) and
 * whether it is on Shopify Plus (a higher Admin API rate limit).
 */
import type { ShopDetailsQuery } from "../../types/admin.generated";
import { AdminApiError, type AdminGraphql, runQuery } from "./admin-client.server";

const SHOP_DETAILS_QUERY = `#graphql
  query ShopDetails {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
      plan {
        shopifyPlus
      }
    }
  }
`;

export interface ShopDetails {
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  shopifyPlus: boolean;
}

export async function fetchShopDetails(admin: AdminGraphql): Promise<ShopDetails> {
  const data = await runQuery<ShopDetailsQuery>(admin, SHOP_DETAILS_QUERY);
  if (!data.shop) throw new AdminApiError("ShopDetails returned no shop");
  return {
    name: data.shop.name,
    currencyCode: data.shop.currencyCode,
    ianaTimezone: data.shop.ianaTimezone,
    shopifyPlus: data.shop.plan.shopifyPlus,
  };
}
