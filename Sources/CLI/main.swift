print("tmdl-codegen")
