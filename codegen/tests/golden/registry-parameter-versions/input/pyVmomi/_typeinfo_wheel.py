# A tiny registry in the _typeinfo_ layout, written for this case.
from .VmomiSupport import CreateDataType, CreateManagedType, AddVersion, AddVersionParent
from .VmomiSupport import F_OPTIONAL

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version5", "vim25", "4.0", 0, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.version5", "vim.version.version1")
AddVersionParent("vim.version.version5", "vim.version.version5")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version5")
AddVersionParent("vim.version.version9", "vim.version.version9")

CreateDataType("vmodl.DynamicData", "DynamicData", "vmodl.DataObject", "vim.version.version1", [("dynamicType", "string", "vim.version.version1", F_OPTIONAL)])
CreateManagedType("vim.Wheel", "Wheel", "vmodl.ManagedObject", "vim.version.version1", [("rim", "int", "vim.version.version1", 0, "System.Read"), ("hub", "string", "vim.version.version9", F_OPTIONAL, "System.Read")], [("spin", "Spin", "vim.version.version1", (("speed", "int", "vim.version.version1", 0, None), ("gear", "string", "vim.version.version5", F_OPTIONAL, None), ("spokes", "int[]", "vim.version.version9", F_OPTIONAL, None),), (0, "void", "void"), "System.Read", None), ("brake", "Brake", "vim.version.version5", (("force", "int", "vim.version.version5", F_OPTIONAL, None),), (0, "void", "void"), "System.Read", None)])
CreateDataType("vim.fault.Slipped", "Slipped", "vmodl.MethodFault", "vim.version.version1", None)
