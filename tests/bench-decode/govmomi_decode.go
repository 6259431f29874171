// Command govmomi-decode decodes saved RetrievePropertiesEx / ContinueRetrievePropertiesEx
// response bodies the way govmomi's SOAP client does (vim25/soap.Client.RoundTrip: govmomi's
// fork of encoding/xml with the vim25 TypeFunc, into the methods' *Body types), for `cargo
// xtask bench-decode`. Files whose name contains "Continue" are ContinueRetrievePropertiesEx
// responses.
//
//	govmomi-decode speed RUNS FILE...    time RUNS decodes of all the bodies (held in memory)
//	govmomi-decode memory FILE...        read, decode and keep each page in turn; peak RSS growth
//
// It prints one line: `RESULT key=value ...`.
//
// Built in GOPATH mode against Debian's golang-github-vmware-govmomi-dev (see xtask/src/peers.rs).
package main

import (
	"bytes"
	"fmt"
	"io/ioutil"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

func decode(name string, body []byte) ([]types.ObjectContent, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.TypeFunc = types.TypeFunc()
	if strings.Contains(name, "Continue") {
		res := &methods.ContinueRetrievePropertiesExBody{}
		if err := dec.Decode(&soap.Envelope{Body: res}); err != nil {
			return nil, err
		}
		if res.Fault_ != nil || res.Res == nil {
			return nil, fmt.Errorf("%s: a fault or no result", name)
		}
		return res.Res.Returnval.Objects, nil
	}
	res := &methods.RetrievePropertiesExBody{}
	if err := dec.Decode(&soap.Envelope{Body: res}); err != nil {
		return nil, err
	}
	if res.Fault_ != nil || res.Res == nil || res.Res.Returnval == nil {
		return nil, fmt.Errorf("%s: a fault or no result", name)
	}
	return res.Res.Returnval.Objects, nil
}

// status reads a field of /proc/self/status in kB.
func status(field string) int64 {
	b, err := ioutil.ReadFile("/proc/self/status")
	if err != nil {
		fail("reading /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			f := strings.Fields(line[len(field)+1:])
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	fail("no %s in /proc/self/status", field)
	return 0
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "govmomi-decode: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 3 {
		fail("usage: govmomi-decode speed RUNS FILE... | memory FILE...")
	}
	switch os.Args[1] {
	case "speed":
		runs, err := strconv.Atoi(os.Args[2])
		if err != nil || runs < 1 {
			fail("RUNS must be a positive number")
		}
		files := os.Args[3:]
		bodies := make([][]byte, len(files))
		total := 0
		for i, f := range files {
			if bodies[i], err = ioutil.ReadFile(f); err != nil {
				fail("%v", err)
			}
			total += len(bodies[i])
		}
		var times []float64
		objects := 0
		for r := 0; r < runs; r++ {
			objects = 0
			start := time.Now()
			for i, b := range bodies {
				objs, err := decode(files[i], b)
				if err != nil {
					fail("%s: %v", files[i], err)
				}
				objects += len(objs)
			}
			times = append(times, time.Since(start).Seconds())
		}
		sort.Float64s(times)
		fmt.Printf("RESULT bytes=%d objects=%d runs=%d best=%.6f median=%.6f\n", total, objects, runs, times[0], times[len(times)/2])
	case "memory":
		// The peak is reset to the current RSS, then each page is read, decoded and kept as a
		// client keeps its results.
		if err := ioutil.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			fail("resetting the peak RSS: %v", err)
		}
		base := status("VmRSS")
		var kept [][]types.ObjectContent
		total, objects := 0, 0
		for _, f := range os.Args[2:] {
			b, err := ioutil.ReadFile(f)
			if err != nil {
				fail("%v", err)
			}
			total += len(b)
			objs, err := decode(f, b)
			if err != nil {
				fail("%s: %v", f, err)
			}
			objects += len(objs)
			kept = append(kept, objs)
		}
		peak := status("VmHWM")
		fmt.Printf("RESULT bytes=%d objects=%d pages=%d base_kb=%d peak_kb=%d\n", total, objects, len(kept), base, peak)
	default:
		fail("unknown mode %q", os.Args[1])
	}
}
