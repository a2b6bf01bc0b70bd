package inspect

import (
	"fmt"
	"time"
)

// timeClaims are the claims that hold NumericDates (RFC 7519 §4.1, OIDC Core §2).
var timeClaims = map[string]bool{
	"exp": true, "iat": true, "nbf": true, "auth_time": true, "updated_at": true,
}

// IsTimeClaim reports whether a claim holds a NumericDate.
func IsTimeClaim(name string) bool { return timeClaims[name] }

// FormatTime writes a time as UTC, to the second: "2026-11-23 10:03:12 UTC".
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// DescribeTime says what a time claim means relative to now, in the words a
// person would use: "expires in 4m12s", "expired 3h ago", "issued 2m ago".
func DescribeTime(claim string, t, now time.Time) string {
	d := t.Sub(now)
	future := d > 0
	switch claim {
	case "exp":
		if future {
			return "expires in " + HumanDuration(d)
		}
		return "expired " + HumanDuration(-d) + " ago"
	case "iat":
		if future {
			return "issued " + HumanDuration(d) + " in the future"
		}
		return "issued " + HumanDuration(-d) + " ago"
	case "nbf":
		if future {
			return "not valid for another " + HumanDuration(d)
		}
		return "valid since " + HumanDuration(-d) + " ago"
	case "auth_time":
		if future {
			return "authenticated " + HumanDuration(d) + " in the future"
		}
		return "user authenticated " + HumanDuration(-d) + " ago"
	}
	if future {
		return "in " + HumanDuration(d)
	}
	return HumanDuration(-d) + " ago"
}

// HumanDuration renders a duration with at most two units: "4m12s", "3h",
// "2d4h", "now". It never shows fractions of a second.
func HumanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	s := int64(d / time.Second)
	const (
		minute = 60
		hour   = 60 * minute
		day    = 24 * hour
		year   = 365 * day
	)
	switch {
	case s == 0:
		return "0s"
	case s < minute:
		return fmt.Sprintf("%ds", s)
	case s < hour:
		return two(s/minute, "m", s%minute, "s")
	case s < day:
		return two(s/hour, "h", s%hour/minute, "m")
	case s < year:
		return two(s/day, "d", s%day/hour, "h")
	}
	return two(s/year, "y", s%year/day, "d")
}

func two(a int64, ua string, b int64, ub string) string {
	if b == 0 {
		return fmt.Sprintf("%d%s", a, ua)
	}
	return fmt.Sprintf("%d%s%d%s", a, ua, b, ub)
}
