package io.ferry.cli.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a shell completion script for ferry (bash and zsh), generated from the commands themselves.",
        "bash:  source <(ferry completion bash)    or, for every shell:  ferry completion bash > /etc/bash_completion.d/ferry",
        "zsh:   source <(ferry completion zsh)     (it loads zsh's bashcompinit itself)"})
final class CompletionCommand implements Callable<Integer> {

  enum Shell { bash, zsh }

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash", description = "bash (default) or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    // picocli writes one script for both shells: under zsh it loads compinit and bashcompinit first.
    out.print(AutoComplete.bash("ferry", spec.root().commandLine()));
    out.flush();
    return ExitCode.OK;
  }
}
