# A tiny registry in the _typeinfo_ layout, written for this case.
from .VmomiSupport import CreateDataType, CreateManagedType
from .VmomiSupport import F_OPTIONAL

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version8", "vim25", "5.1", 0, "vim25")
AddVersionParent("vim.version.version8", "vim.version.version1")

CreateDataType("vim.Kite", "Kite", "vmodl.DynamicData", "vim.version.version1", [("tail", "int", "vim.version.version1", F_OPTIONAL)])
CreateDataType("vim.Balloon", "Balloon", "vmodl.DynamicData", "vim.version.version8", [("colour", "string, "vim.version.version8", 0)])
