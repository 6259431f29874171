# not UTF-8: ÿþ
AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
