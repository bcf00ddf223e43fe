// Command etelecom-connect-shop connects a merchant's shop to the partner on
// eTelecom through the login-and-redirect flow (with a local callback
// server), then acts as that shop: it lists the shop's recent calls and
// sends a Zalo notification (ZNS).
//
// It reads ETELECOM_API_KEY and ETELECOM_BASE_URL (such as
// https://api-sandbox.etelecom.vn/v1/partner); with neither set it runs
// against the built-in fake and plays the merchant itself. Against a real
// server it also reads ETELECOM_SHOP_ID (a shop to reconnect) or
// ETELECOM_SHOP_EMAIL, ETELECOM_SHOP_PHONE and ETELECOM_SHOP_NAME (a new
// shop), and ETELECOM_ZNS_TEMPLATE_ID and ETELECOM_ZNS_PHONE for the ZNS,
// then prints the login URL and waits for the merchant to log in.
package main

import (
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
	"github.com/partnerkit/partnerkit-go/examples/internal/etelecomflow"
)

func main() { demo.Main("etelecom-connect-shop", etelecomflow.Run) }
