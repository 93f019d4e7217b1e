import { Banner, Box } from "@shopify/polaris";
import { PROTECTED_DATA_DOCS } from "./member-label";
import { useStrings } from "./i18n";

/** Why some customers have no name or email: Shopify withholds them until it approves Regulars. */
export function ProtectedDataNotice() {
  const strings = useStrings();
  return (
    <Box paddingBlockEnd="400">
      <Banner
        tone="info"
        action={{ content: strings.protectedData.learnMore, url: PROTECTED_DATA_DOCS, target: "_blank" }}
      >
        {strings.protectedData.notice}
      </Banner>
    </Box>
  );
}
