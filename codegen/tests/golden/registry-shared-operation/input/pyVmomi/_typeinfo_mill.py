# A tiny registry in the _typeinfo_ layout, written for this case.
from .VmomiSupport import CreateDataType, CreateManagedType, AddVersion, AddVersionParent
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
CreateManagedType("vim.Task", "Task", "vmodl.ManagedObject", "vim.version.version1", [("state", "string", "vim.version.version1", 0, "System.Read")], None)
CreateManagedType("vim.Mill", "Mill", "vmodl.ManagedObject", "vim.version.version1", [("sails", "int", "vim.version.version1", 0, "System.Read"), ("gusts", "vim.Gust[]", "vim.version.version9", F_OPTIONAL, "Mill.Watch"), ("solar", "boolean", "vim.version.version10", 0, None)], [("grind", "Grind_Task", "vim.version.version9", (("grain", "vim.Grain", "vim.version.version9", 0, None), ("store", "vim.Barn", "vim.version.version9", F_OPTIONAL, None),), (0, "vim.Task", "int"), "Mill.Grind", None), ("rest", "Rest", "vim.version.version1", (), (0, "void", "void"), "System.View", None)])
CreateManagedType("vim.Barn", "Barn", "vmodl.ManagedObject", "vim.version.version1", None, [("rest", "Rest", "vim.version.version1", (), (0, "void", "void"), "Barn.Close", None)])
CreateDataType("vim.Grain", "Grain", "vmodl.DynamicData", "vim.version.version1", [("kind", "string", "vim.version.version1", 0), ("weight", "long", "vim.version.version9", F_OPTIONAL), ("origin", "vim.Barn", "vim.version.version1", F_OPTIONAL)])
CreateDataType("vim.Gust", "Gust", "vmodl.DynamicData", "vim.version.version9", [("speed", "int", "vim.version.version9", 0)])
