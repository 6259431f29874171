# A tiny registry in the _typeinfo_ layout, written for this case.
from .VmomiSupport import CreateDataType, CreateManagedType, AddVersion, AddVersionParent
from .VmomiSupport import F_OPTIONAL

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version9")

CreateDataType("vmodl.DynamicData", "DynamicData", "vmodl.DataObject", "vim.version.version1", [("dynamicType", "string", "vim.version.version1", F_OPTIONAL)])
CreateManagedType("vim.Tower", "Tower", "vmodl.ManagedObject", "vim.version.version1", [("bells", "int", "vim.version.version9", 0, "System.Read")], [("ring", "Ring", "vim.version.version1", (), (0, "void", "void"), "Tower.Ring", None), ("hush", "Hush", "vim.version.version9", (), (0, "void", "void"), "Tower.Ring", None)])
