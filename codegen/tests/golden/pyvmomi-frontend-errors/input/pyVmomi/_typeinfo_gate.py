# A tiny registry in the _typeinfo_ layout, written for this case: one fault per line.
from .VmomiSupport import CreateDataType, CreateManagedType, AddVersion, AddVersionParent
from .VmomiSupport import F_OPTIONAL

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersion("vim.version.version9", "vim25", "5.6", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version9")
AddVersionParent("vim.version.version9", "vim.version.nowhere")

CreateDataType("vmodl.DynamicData", "DynamicData", "vmodl.DataObject", "vim.version.version1", [("dynamicType", "string", "vim.version.version1", F_OPTIONAL)])
CreateManagedType("vim.Gate", "Gate", "vmodl.ManagedObject", "vim.version.version1", None, [("open", "Open", "vim.version.version1", (), (0, "void", "void"), "Gate.Open", None)])
CreateManagedType("vim.Gate", "Gate", "vmodl.ManagedObject", "vim.version.version9", None, None)
CreateDataType("vim.Hinge", "Hinge", "vmodl.DynamicData", "vim.version.version1", [("squeaks", "boolean", "vim.version.version1", F_RUSTY)])
CreateDataType("vim.Latch", "Latch", "vmodl.DynamicData")
CreateDataType("vim.Bolt", "Bolt", "vmodl.DynamicData", "vim.version.later", None)
AddBreakingChangesInfo("vim.Gate", "vim.version.version9")
gatekeeper = "vim.Gate"
CreateDataType("vim.Post", "Post", "vmodl.DynamicData", "vim.version.version1", [("height", r"int", "vim.version.version1", 0)])
