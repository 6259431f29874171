// The nine steps of docs/automation.md with govmomi, for comparison (not built by the tests).
package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func check(err error) {
	if err != nil {
		panic(err)
	}
}

func wait(ctx context.Context, t *object.Task, err error) error {
	check(err)
	return t.Wait(ctx)
}

func main() {
	ctx := context.Background()
	u, err := url.Parse(os.Args[1])
	check(err)
	u.User = url.UserPassword(os.Args[2], os.Args[3])

	// 1. Connect and log in.
	c, err := govmomi.NewClient(ctx, u, true)
	check(err)
	fmt.Println("logged in")

	// 2. Every VM with its power state.
	v, err := view.NewManager(c.Client).CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	check(err)
	var vms []mo.VirtualMachine
	check(v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"name", "runtime"}, &vms))
	check(v.Destroy(ctx))
	var vm *object.VirtualMachine
	for _, x := range vms {
		fmt.Println(x.Name, x.Runtime.PowerState)
		if vm == nil && x.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn {
			vm = object.NewVirtualMachine(c.Client, x.Reference())
		}
	}

	// 3, 4. Power it off and on again.
	check(wait(ctx, vm.PowerOff(ctx)))
	check(wait(ctx, vm.PowerOn(ctx)))

	// 5. A failing task.
	var terr task.Error
	if err := wait(ctx, vm.PowerOn(ctx)); errors.As(err, &terr) {
		fmt.Printf("powering on again failed: %T\n", terr.Fault())
	}

	// 6. Create a folder twice.
	root := object.NewRootFolder(c.Client)
	folder, err := root.CreateFolder(ctx, "scratch")
	check(err)
	if _, err := root.CreateFolder(ctx, "scratch"); soap.IsSoapFault(err) {
		if _, ok := soap.ToSoapFault(err).VimFault().(types.DuplicateName); ok {
			fmt.Println("folder scratch exists")
		}
	}
	check(wait(ctx, folder.Destroy(ctx)))

	// 7. Rename the VM, and back.
	name, err := vm.ObjectName(ctx)
	check(err)
	check(wait(ctx, vm.Rename(ctx, "renamed")))
	check(wait(ctx, vm.Rename(ctx, name)))

	// 8. Its events.
	spec := types.EventFilterSpec{Entity: &types.EventFilterSpecByEntity{Entity: vm.Reference(), Recursion: types.EventFilterSpecRecursionOptionSelf}}
	events, err := event.NewManager(c.Client).QueryEvents(ctx, spec)
	check(err)
	for _, e := range events {
		b := e.GetEvent()
		fmt.Println("event", b.CreatedTime, b.FullFormattedMessage)
	}

	// 9. Log out.
	check(c.Logout(ctx))
	fmt.Println("logged out")
}
