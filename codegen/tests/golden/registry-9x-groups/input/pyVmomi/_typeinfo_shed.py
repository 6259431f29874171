# A tiny registry in the _typeinfo_ layout, written for this case.
from .VmomiSupport import CreateDataType, CreateManagedType, CreateEnumType, AddVersion, AddVersionParent
from .VmomiSupport import F_OPTIONAL

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.v9_0_0_0", "vim25", "9.0.0.0", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.v9_0_0_0", "vim.version.version1")
AddVersionParent("vim.version.v9_0_0_0", "vim.version.v9_0_0_0")

CreateDataType("vmodl.DynamicData", "DynamicData", "vmodl.DataObject", "vim.version.version1", [("dynamicType", "string", "vim.version.version1", F_OPTIONAL)])
CreateDataType("vim.Shed", "Shed", "vmodl.DynamicData", "vim.version.version1", [("door", "string", "vim.version.version1", 0)])
CreateDataType("vim.vsan.Crate", "VsanCrate", "vmodl.DynamicData", "vim.version.v9_0_0_0", [("label", "string", "vim.version.v9_0_0_0", 0)])
CreateManagedType("vim.Yard", "Yard", "vmodl.ManagedObject", "vim.version.version1", None, [("inspect", "Inspect", "vim.version.version1", (), (0, "vim.Shed", "vim.Shed"), "Yard.Look", None)])
