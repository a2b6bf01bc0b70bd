package flow

import "github.com/xaatools/xaa/flow/wire"

// CheckCallback runs the login's checks of one callback. The listener
// drops a callback with another state before the login sees it, so no run
// shows login.state failing: the rules' tests call the check itself.
func CheckCallback(cb wire.Callback, state string, idp *wire.Metadata) *Step {
	st := &Step{ID: StepLogin}
	(&Runner{}).callbackChecks(st, cb, state, idp)
	return st
}
