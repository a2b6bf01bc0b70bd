package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/xaatools/xaa/flow/playground"
)

// defaultPlaygroundListen is where `xaa playground` listens unless told:
// the IdP on 9400, the resource AS on 9401, the resource server on 9402.
const defaultPlaygroundListen = "127.0.0.1:9400"

const playgroundUsage = `xaa playground [--listen 127.0.0.1:PORT] [--write-config FILE] [--fault NAME]... [--profile okta] [--trust-issuer URL]... [--key-dir DIR] [--rotate-keys]

Runs the other parties of Cross App Access on loopback until interrupted:
an OpenID Connect IdP that issues ID-JAGs by token exchange, a resource
authorization server that redeems them with the jwt-bearer grant, and a
resource server with a todo REST API and an MCP server. Demo users log in
on its login page (the passwords are shown there). Faults make one party
misbehave the way real ones do; --profile okta makes the IdP answer like
an Okta org. --trust-issuer makes the resource AS trust another IdP (an
Okta org, xaa conform's IdP), to test tokens you bring.

Examples:
  xaa playground --write-config xaa.yaml        # then: xaa run --config xaa.yaml
  xaa playground --fault idjag-wrong-aud         # watch the jwt-bearer grant refuse it
  xaa playground --profile okta --fault okta-no-connection
  xaa playground --trust-issuer http://127.0.0.1:9410   # the resource AS trusts xaa conform's IdP
  xaa playground --list-faults`

// runPlayground runs the embedded IdP, resource AS, REST API and MCP server
// until interrupted.
func runPlayground(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("playground", playgroundUsage, io.err)
	var o playground.Options
	var faults, trust, redirects stringList
	fs.StringVar(&o.Listen, "listen", defaultPlaygroundListen, "IdP address; the resource AS uses port+1, the resource server port+2 (port 0: any free ports)")
	writeConfig := fs.String("write-config", "", "write the client config (YAML, mode 0600) to `FILE`, with a private_key_jwt variant and its key beside it")
	fs.Var(&faults, "fault", "switch on a fault (repeatable); see --list-faults")
	listFaults := fs.Bool("list-faults", false, "list the faults and exit")
	fs.StringVar(&o.Profile, "profile", "", "\"okta\": make the IdP behave like an Okta org")
	fs.Var(&trust, "trust-issuer", "also trust ID-JAGs from this issuer `URL` (repeatable; keys found by discovery)")
	fs.StringVar(&o.KeyDir, "key-dir", playground.DefaultKeyDir(io.getenv), "keep signing keys and client secrets in `DIR` across starts (\"\": fresh ones every start)")
	fs.BoolVar(&o.RotateKeys, "rotate-keys", false, "make new signing keys for the IdP and the resource AS instead of reusing the kept ones")
	fs.Var(&redirects, "redirect-uri", "register this redirect `URI` for the demo app (repeatable; default "+playground.DefaultRedirectURI+")")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(io.err, err)
	}
	if len(rest) > 0 {
		return usageError(io.err, fmt.Errorf("playground takes no arguments, got %q", rest[0]))
	}
	if *listFaults {
		printFaults(io.out)
		return exitOK
	}
	o.Faults, o.TrustIssuers, o.RedirectURIs = faults, trust, redirects
	p, err := playground.Start(ctx, o)
	if err != nil {
		fmt.Fprintln(io.err, "xaa playground:", err)
		return exitUsage
	}
	defer p.Close()
	for _, w := range p.Warnings() {
		fmt.Fprintln(io.err, "xaa playground: warning:", w)
	}
	if *writeConfig != "" {
		if err := p.WriteConfig(*writeConfig); err != nil {
			fmt.Fprintln(io.err, "xaa playground:", err)
			return exitFailed
		}
	}
	printPlayground(io.out, p, o, *writeConfig)

	rotate := make(chan os.Signal, 1)
	signal.Notify(rotate, syscall.SIGHUP)
	defer signal.Stop(rotate)
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(io.out, "\nstopping the playground…")
			if err := p.Close(); err != nil && !errors.Is(err, context.Canceled) {
				fmt.Fprintln(io.err, "xaa playground:", err)
				return exitFailed
			}
			return exitOK
		case <-rotate:
			if err := p.RotateKeys(); err != nil {
				fmt.Fprintln(io.err, "xaa playground: rotating keys:", err)
				continue
			}
			fmt.Fprintln(io.out, "rotated the IdP's signing keys (the previous ones stay in the JWKS)")
		}
	}
}

// printPlayground lists every URL, client id and demo user. Client secrets
// are never printed: they are in the config file.
func printPlayground(w io.Writer, p *playground.Playground, o playground.Options, configPath string) {
	c := p.Config()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(format string, args ...any) { fmt.Fprintf(tw, format+"\n", args...) }
	line("xaa playground is running. Ctrl-C stops it; SIGHUP rotates the IdP's signing keys.")
	line("")
	idpDiscovery := c.IdP.Issuer + "/.well-known/openid-configuration"
	if o.Profile == playground.ProfileOkta {
		line("IdP (Okta profile)\t%s", c.IdP.Issuer)
		line("  discovery\t%s", idpDiscovery)
		line("  authorize\t%s/oauth2/v1/authorize", c.IdP.Issuer)
		line("  token\t%s/oauth2/v1/token", c.IdP.Issuer)
		line("  keys\t%s/oauth2/v1/keys", c.IdP.Issuer)
		line("  custom AS\t%s/oauth2/default (issues no ID-JAGs, like Okta's)", c.IdP.Issuer)
	} else {
		line("IdP\t%s", c.IdP.Issuer)
		line("  discovery\t%s", idpDiscovery)
		line("  authorize\t%s/authorize", c.IdP.Issuer)
		line("  token\t%s/token", c.IdP.Issuer)
		line("  jwks\t%s/jwks", c.IdP.Issuer)
	}
	line("Resource AS\t%s", c.ResourceAS.Issuer)
	line("  metadata\t%s/.well-known/oauth-authorization-server", c.ResourceAS.Issuer)
	line("  token\t%s/token", c.ResourceAS.Issuer)
	line("  jwks\t%s/jwks", c.ResourceAS.Issuer)
	for _, is := range o.TrustIssuers {
		line("  also trusts\t%s", is)
	}
	line("Resource server\t%s (resource id)", c.Resource.ID)
	line("  todo API\t%s", c.Resource.APIURL)
	line("  MCP server\t%s", c.Resource.MCPURL)
	line("  metadata\t%s/.well-known/oauth-protected-resource", c.Resource.ID)
	line("")
	line("Client at the IdP\t%s (client_secret_basic, client_secret_post or private_key_jwt)", c.IdP.ClientID)
	line("  redirect URI\t%s", c.IdP.RedirectURI)
	line("Client at the resource AS\t%s", c.ResourceAS.ClientID)
	line("Scopes\tlogin: %s; resource: %s", strings.Join(c.IdP.Scopes, " "), strings.Join(c.ResourceAS.Scopes, " "))
	if configPath != "" {
		files := playground.ConfigFilesFor(configPath)
		line("Client secrets\tin %s (mode 0600); never printed", files.Config)
		line("  private_key_jwt\t%s (key %s)", files.PrivateKeyJWTConfig, files.ClientKey)
	} else {
		line("Client secrets\tnot printed; --write-config FILE writes them to a config file")
	}
	line("")
	line("Demo users (passwords on the login page)")
	for _, u := range p.Users() {
		line("  %s\t%s", u.Username, u.Outcome)
	}
	if len(o.Faults) > 0 {
		line("")
		line("Faults")
		for _, f := range playground.Faults() {
			for _, name := range o.Faults {
				if name == f.Name {
					line("  %s\t%s", f.Name, f.Description)
				}
			}
		}
	}
	if configPath != "" {
		line("")
		line("Try: xaa run --config %s", configPath)
	}
	tw.Flush()
}

// printFaults lists every fault with its party and step.
func printFaults(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAULT\tPARTY\tSTEP\tWHAT")
	for _, f := range playground.Faults() {
		what := f.Description
		if f.Profile != "" {
			what += " (needs --profile " + f.Profile + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.Party, f.Step, what)
	}
	tw.Flush()
}
