# A tiny registry in the _typeinfo_ layout, written for this case.
from .VmomiSupport import CreateDataType, CreateManagedType, CreateEnumType, AddVersion, AddVersionParent
from .VmomiSupport import F_OPTIONAL

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersion("vim.version.version10", "vim25", "6.0", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version9")
AddVersionParent("vim.version.version10", "vim.version.version1")
AddVersionParent("vim.version.version10", "vim.version.version9")
AddVersionParent("vim.version.version10", "vim.version.version10")

CreateDataType("vmodl.DynamicData", "DynamicData", "vmodl.DataObject", "vim.version.version1", [("dynamicType", "string", "vim.version.version1", F_OPTIONAL)])
CreateManagedType("vim.Sky", "Sky", "vmodl.ManagedObject", "vim.version.version1", [("halo", "vim.Halo", "vim.version.version9", F_OPTIONAL, "System.Read")], [("eclipse", "Eclipse", "vim.version.version9", (), (0, "void", "void"), "Sky.Dim", None), ("orbit", "Orbit", "vim.version.version10", (), (0, "void", "void"), "Sky.Move", None), ("flare", "Flare", "vim.version.version10", (), (0, "void", "void"), "Sky.Dim", None)])
CreateDataType("vim.Halo", "Halo", "vmodl.DynamicData", "vim.version.version9", [("width", "int", "vim.version.version9", 0)])
CreateDataType("vim.Star", "Star", "vmodl.DynamicData", "vim.version.version1", [("mass", "long", "vim.version.version1", 0), ("age", "int", "vim.version.version9", 0), ("glow", "int", "vim.version.version10", 0), ("later", "string", "vim.version.version10", F_OPTIONAL)])
CreateDataType("vim.Comet", "Comet", "vmodl.DynamicData", "vim.version.version10", [("tail", "int", "vim.version.version10", 0)])
CreateEnumType("vim.Phase", "Phase", "vim.version.version10", ["new", "full"])
