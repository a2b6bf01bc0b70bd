package main

import (
	"context"
	"fmt"

	"github.com/xaatools/xaa/flow/tokenstore"
)

const logoutUsage = `xaa logout [--config FILE]

Forgets the IdP refresh token kept for the config's client. With
idp.subject: refresh_token, xaa run and the terminal UI keep the refresh
token of a login (in the system keyring, else in a file readable only by
you: $XDG_STATE_HOME/xaa/refresh-tokens.json; XAA_NO_KEYRING=1 uses the
file only) and start later runs at the token exchange. After logout the
next run logs in again. The token is forgotten here only; the IdP still
honours it until it expires or is revoked there.

The config is --config, else $XAA_CONFIG, ./xaa.yaml, or
$XDG_CONFIG_HOME/xaa/config.yaml.

Exit status: 0 forgotten or none was kept, 1 it could not be forgotten,
2 bad flags or config.`

func runLogout(_ context.Context, args []string, io stdio) int {
	fs := newFlagSet("logout", logoutUsage, io.err)
	configPath := fs.String("config", "", "config file (default: $XAA_CONFIG, ./xaa.yaml, $XDG_CONFIG_HOME/xaa/config.yaml)")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(io.err, err)
	}
	if len(positional) > 0 {
		return usageError(io.err, fmt.Errorf("logout takes no arguments, got %q", positional[0]))
	}
	cfg, err := loadRunConfig(*configPath, io)
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}
	issuer, client := cfg.IdP.Issuer, cfg.IdP.ClientID
	if issuer == "" || client == "" {
		return usageError(io.err, fmt.Errorf("%s has no idp.issuer or idp.client_id: they name the kept token", cfg.Source))
	}
	store := tokenstore.New(io.getenv)
	found, err := store.Forget(issuer, client)
	switch {
	case err != nil:
		fmt.Fprintf(io.err, "xaa: forgetting the refresh token of %s at %s: %v\n", client, issuer, err)
		return exitFailed
	case found:
		fmt.Fprintf(io.out, "forgot the refresh token kept for %s at %s; the next run logs in again\n", client, issuer)
	default:
		fmt.Fprintf(io.out, "no refresh token was kept for %s at %s (%s)\n", client, issuer, store.Where())
	}
	return exitOK
}
