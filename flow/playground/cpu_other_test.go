//go:build !unix

package playground

import "time"

// processCPU is unknown here; the benchmarks then report 0 CPU.
func processCPU() time.Duration { return 0 }
