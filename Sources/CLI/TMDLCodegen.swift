import ArgumentParser

@main
struct TMDLCodegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tmdl-codegen",
        abstract: "Compile TinyMaix .tmdl models ahead of time, and check what they compute.",
        discussion: """
            A .tmdl file is the flat model TinyMaix's converter writes from a .tflite model.
            'inspect' shows what is in one; 'run' computes one inference with the reference
            interpreter (the definition of what the model computes); 'evaluate' measures
            accuracy over a labelled set of inputs.

            Exit status: 0 on success, 1 when a model or an input is refused (one line on
            stderr names the file, the layer, the field and the byte offset), 64 for a
            command-line mistake.

            Examples:
              tmdl-codegen inspect Examples/digits/digits.tmdl
              tmdl-codegen run Examples/digits/digits.tmdl --seed 1 --top 3
              tmdl-codegen evaluate Examples/digits/digits.tmdl \\
                  --inputs Examples/digits/test-images.u8 --labels Examples/digits/test-labels.u8
            """,
        subcommands: [Inspect.self, Run.self, Evaluate.self, Generate.self, Verify.self]
    )
}
