package main

// Paging for RetrievePropertiesEx, which govmomi 0.24's simulator lacks: its PropertyCollector
// ignores RetrieveOptions.maxObjects and has neither ContinueRetrievePropertiesEx nor
// CancelRetrievePropertiesEx (they answer MethodNotFound).
//
// The simulator looks a method up by name on the object registered for the reference, and
// makes each session's PropertyCollector with reflect.New of the registered object's type
// ("PropertyCollector might be wrapped with a custom type", session_manager.go). So a struct
// embedding simulator.PropertyCollector, registered in its place, adds or replaces methods for
// every session; its zero value is a working collector, as the simulator's own is.

import (
	"crypto/rand"
	"encoding/hex"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// pagingCollector is simulator.PropertyCollector with maxObjects honoured.
type pagingCollector struct {
	simulator.PropertyCollector

	mu sync.Mutex
	// The objects not yet returned, per token. A retrieval's remainder is kept until it is
	// read to the end or cancelled (as vCenter does, within one session's collector).
	pending map[string][]types.ObjectContent
	// The page size of each token's retrieval (the first call's maxObjects).
	sizes map[string]int
}

// installPaging registers a pagingCollector as the model's PropertyCollector.
func installPaging() {
	ref := types.ManagedObjectReference{Type: "PropertyCollector", Value: "propertyCollector"}
	if simulator.Map.Get(ref) == nil {
		fatal("-paging: the model has no PropertyCollector %s", ref.Value)
	}
	pc := new(pagingCollector)
	pc.Self = ref
	simulator.Map.Put(pc)
}

// RetrievePropertiesEx collects as the simulator does, then returns at most maxObjects objects
// (all of them when it is 0 or absent) and a token for the rest.
func (pc *pagingCollector) RetrievePropertiesEx(ctx *simulator.Context, r *types.RetrievePropertiesEx) soap.HasFault {
	res := pc.PropertyCollector.RetrievePropertiesEx(ctx, r)
	body, ok := res.(*methods.RetrievePropertiesExBody)
	if !ok || body.Fault_ != nil || body.Res == nil {
		return res
	}
	if max := int(r.Options.MaxObjects); max < 0 {
		body.Res = nil
		body.Fault_ = simulator.Fault("maxObjects must not be negative", &types.InvalidArgument{InvalidProperty: "maxObjects"})
	} else {
		body.Res.Returnval = pc.page(body.Res.Returnval.Objects, max)
	}
	return body
}

// ContinueRetrievePropertiesEx returns the next page of a token's retrieval (as many objects as
// the first call's maxObjects allowed).
func (pc *pagingCollector) ContinueRetrievePropertiesEx(ctx *simulator.Context, r *types.ContinueRetrievePropertiesEx) soap.HasFault {
	body := &methods.ContinueRetrievePropertiesExBody{}
	rest, max, ok := pc.take(r.Token)
	if !ok {
		body.Fault_ = simulator.Fault("unknown or finished token", &types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	page := pc.page(rest, max)
	body.Res = &types.ContinueRetrievePropertiesExResponse{Returnval: *page}
	return body
}

// CancelRetrievePropertiesEx drops what is left of a token's retrieval.
func (pc *pagingCollector) CancelRetrievePropertiesEx(ctx *simulator.Context, r *types.CancelRetrievePropertiesEx) soap.HasFault {
	body := &methods.CancelRetrievePropertiesExBody{}
	if _, _, ok := pc.take(r.Token); !ok {
		body.Fault_ = simulator.Fault("unknown or finished token", &types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	body.Res = &types.CancelRetrievePropertiesExResponse{}
	return body
}

// page returns the first max objects (all when max is 0) and, when some are left, a fresh
// token under which the rest and the page size are kept.
func (pc *pagingCollector) page(objects []types.ObjectContent, max int) *types.RetrieveResult {
	if max == 0 || len(objects) <= max {
		return &types.RetrieveResult{Objects: objects}
	}
	token := newToken()
	pc.mu.Lock()
	if pc.pending == nil {
		pc.pending = make(map[string][]types.ObjectContent)
		pc.sizes = make(map[string]int)
	}
	pc.pending[token] = objects[max:]
	pc.sizes[token] = max
	pc.mu.Unlock()
	return &types.RetrieveResult{Token: token, Objects: objects[:max]}
}

// take removes and returns a token's remainder and page size.
func (pc *pagingCollector) take(token string) ([]types.ObjectContent, int, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	rest, ok := pc.pending[token]
	max := pc.sizes[token]
	delete(pc.pending, token)
	delete(pc.sizes, token)
	return rest, max, ok
}

func newToken() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		fatal("-paging: reading random bytes: %v", err)
	}
	return hex.EncodeToString(b[:])
}
