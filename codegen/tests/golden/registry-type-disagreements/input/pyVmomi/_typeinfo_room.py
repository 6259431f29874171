# A tiny registry in the _typeinfo_ layout, written for this case.
from .VmomiSupport import CreateDataType, CreateManagedType, CreateEnumType, AddVersion, AddVersionParent
from .VmomiSupport import F_OPTIONAL

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version9")

CreateDataType("vmodl.DynamicData", "DynamicData", "vmodl.DataObject", "vim.version.version1", [("dynamicType", "string", "vim.version.version1", F_OPTIONAL)])
CreateDataType("vim.Fixture", "Fixture", "vmodl.DynamicData", "vim.version.version1", None)
CreateDataType("vim.Lamp", "Lamp", "vim.Fixture", "vim.version.version1", [("watts", "int", "vim.version.version1", 0), ("bulbs", "string[]", "vim.version.version1", F_OPTIONAL), ("shade", "string", "vim.version.version1", F_OPTIONAL), ("cord", "int", "vim.version.version1", 0), ("room", "vim.Room", "vim.version.version1", 0), ("socket", "string", "vim.version.version1", 0), ("colour", "vim.Lamp.Colour", "vim.version.version1", 0), ("glass", "string", "vim.version.version1", F_OPTIONAL)])
CreateEnumType("vim.Lamp.Colour", "LampColour", "vim.version.version1", ["red", "green"])
CreateDataType("vim.fault.Burnt", "Burnt", "vmodl.MethodFault", "vim.version.version1", None)
CreateDataType("vim.fault.Fused", "Fused", "vmodl.MethodFault", "vim.version.version1", None)
CreateManagedType("vim.Room", "Room", "vmodl.ManagedObject", "vim.version.version1", None, [("switch", "Switch", "vim.version.version1", (("lamp", "vim.Lamp", "vim.version.version1", 0, None), ("brightness", "int", "vim.version.version1", F_OPTIONAL, None), ("dimmer", "vim.Room", "vim.version.version9", 0, None),), (0, "boolean", "boolean"), "Room.Light", ["vim.fault.Fused"])])
