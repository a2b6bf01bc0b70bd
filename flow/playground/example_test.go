package playground_test

import (
	"context"
	"fmt"
	"log"

	"github.com/xaatools/xaa/flow/playground"
)

// Start runs the three parties on free loopback ports; Config says how a
// client reaches them, and LoginBrowser stands in for the user's browser.
func ExampleStart() {
	p, err := playground.Start(context.Background(), playground.Options{Faults: []string{playground.FaultIDJAGWrongAud}})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	cfg := p.Config()
	fmt.Println(cfg.IdP.ClientID, "at the IdP,", cfg.ResourceAS.ClientID, "at the resource AS")
	fmt.Println("redirect URI:", cfg.IdP.RedirectURI)
	for _, u := range p.Users()[:2] {
		fmt.Printf("%s: %s\n", u.Username, u.Outcome)
	}
	// Output:
	// xaa-agent at the IdP, xaa-agent-at-todos at the resource AS
	// redirect URI: http://127.0.0.1:8976/callback
	// alice: every step succeeds
	// bob: the token exchange is refused: not assigned to the resource app
}
