package oktaadmin

import (
	"context"

	"github.com/xaatools/xaa/flow/wire"
)

// SendForTest sends a request with any method, as only a bug could: the
// guard must refuse all but GET before the network.
func (c *Client) SendForTest(ctx context.Context, method, rawURL string) (*wire.Response, error) {
	resp, _, err := c.send(ctx, method, rawURL, "SSWS test")
	return resp, err
}
