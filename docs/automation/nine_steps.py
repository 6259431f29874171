# The nine steps of docs/automation.md with pyVmomi, for comparison (not run by the tests).
import sys
from urllib.parse import urlparse

from pyVim.connect import SmartConnect, Disconnect
from pyVim.task import WaitForTask
from pyVmomi import vim

u = urlparse(sys.argv[1])
# 1. Connect and log in.
si = SmartConnect(host=u.hostname, port=u.port or 443, user=sys.argv[2], pwd=sys.argv[3],
                  disableSslCertValidation=True)
content = si.RetrieveContent()
print("logged in as", content.sessionManager.currentSession.userName)

# 2. Every VM with its power state (each property read below is a round trip of its own).
view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
vms = list(view.view)
view.Destroy()
for v in vms:
    print(v.name, v.runtime.powerState)
vm = next(v for v in vms if v.runtime.powerState == "poweredOn")

# 3, 4. Power it off and on again.
WaitForTask(vm.PowerOffVM_Task())
WaitForTask(vm.PowerOnVM_Task())

# 5. A failing task.
try:
    WaitForTask(vm.PowerOnVM_Task())
except vim.fault.InvalidPowerState as e:
    print("powering on again failed:", type(e).__name__)

# 6. Create a folder twice.
folder = content.rootFolder.CreateFolder("scratch")
try:
    content.rootFolder.CreateFolder("scratch")
except vim.fault.DuplicateName:
    print("folder scratch exists")
WaitForTask(folder.Destroy_Task())

# 7. Rename the VM, and back.
name = vm.name
WaitForTask(vm.Rename_Task("renamed"))
WaitForTask(vm.Rename_Task(name))

# 8. Its events.
spec = vim.event.EventFilterSpec(entity=vim.event.EventFilterSpec.ByEntity(entity=vm, recursion="self"))
for e in content.eventManager.QueryEvents(spec):
    print("event", e.createdTime, e.fullFormattedMessage)

# 9. Log out.
Disconnect(si)
print("logged out")
