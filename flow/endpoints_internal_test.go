package flow

import (
	"testing"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// TestEndpointChecks: metadata without an endpoint the flow needs fails
// discovery.*.endpoints; one naming a plain-http endpoint on another host
// warns discovery.*.http. (Both need metadata no loopback server can
// serve honestly: an https issuer.)
func TestEndpointChecks(t *testing.T) {
	md := &wire.Metadata{}
	md.Issuer = "https://idp.example.com"
	for _, prefix := range []string{"discovery.idp", "discovery.as"} {
		st := &Step{}
		endpointChecks(st, prefix, md, map[string]string{"token_endpoint": "", "jwks_uri": "http://keys.example.com/jwks"})
		for id, want := range map[string]inspect.Status{prefix + ".endpoints": inspect.StatusFail, prefix + ".http": inspect.StatusWarn} {
			if c, ok := st.Checks.Find(id); !ok || c.Status != want {
				t.Errorf("%s = %+v, want %s", id, c, want)
			}
		}
	}
}
