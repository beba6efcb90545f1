package io.ferry.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Two fixes picocli's annotations cannot express, applied once to the whole command tree:
 * <ul>
 *   <li>A description written as several strings (to keep source lines short) is shown by picocli as
 *       several lines, each wrapped on its own: a sentence split across two strings was cut in the
 *       middle. Strings that do not end a sentence (or introduce a list with a colon) are joined to the
 *       next, so picocli wraps the sentence as a whole, at word boundaries. Lines laid out with runs of
       spaces stay as written.</li>
 *   <li>An option whose values are a fixed set written in its label ({@code bapi|odata},
 *       {@code sqlite|postgres}) gets those values as completion candidates, so the completion script
 *       offers them as it does for enum-typed options.</li>
 * </ul>
 */
final class HelpText {

  private static final Pattern CHOICES = Pattern.compile("[a-z0-9-]+(\\|[a-z0-9-]+)+");

  private HelpText() {}

  static void apply(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    spec.usageMessage().description(joinSentences(spec.usageMessage().description()));
    for (OptionSpec option : List.copyOf(spec.options())) {
      String[] joined = joinSentences(option.description());
      boolean sameText = java.util.Arrays.equals(joined, option.description());
      List<String> choices = choices(option);
      if (sameText && choices.isEmpty()) {
        continue;
      }
      OptionSpec.Builder b = option.toBuilder().description(joined);
      if (!choices.isEmpty()) {
        b.completionCandidates(choices);
      }
      spec.remove(option);
      spec.addOption(b.build());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getParent() == cl) { // aliases list the same command again
        apply(sub);
      }
    }
  }

  /** The values of an option like {@code --sap bapi|odata} with no candidates of its own; else none. */
  private static List<String> choices(OptionSpec option) {
    if (option.completionCandidates() != null || option.arity().max() == 0) {
      return List.of();
    }
    String label = option.paramLabel();
    return label != null && CHOICES.matcher(label).matches() ? List.of(label.split("\\|")) : List.of();
  }

  static String[] joinSentences(String[] lines) {
    if (lines == null || lines.length < 2) {
      return lines;
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : lines) {
      if (current == null) {
        current = new StringBuilder(line);
      } else if (endsSentence(current) || line.isEmpty() || laidOut(current) || laidOut(line)) {
        out.add(current.toString());
        current = new StringBuilder(line);
      } else {
        current.append(' ').append(line.strip());
      }
    }
    out.add(current.toString());
    return out.toArray(String[]::new);
  }

  /** A line aligned with runs of spaces (a command and its comment, a small table) keeps its own line. */
  private static boolean laidOut(CharSequence s) {
    return s.toString().strip().contains("  ");
  }

  private static boolean endsSentence(CharSequence s) {
    String t = s.toString().stripTrailing();
    return t.isEmpty() || t.endsWith(".") || t.endsWith(":") || t.endsWith("!") || t.endsWith("?") || t.endsWith("%n");
  }
}
