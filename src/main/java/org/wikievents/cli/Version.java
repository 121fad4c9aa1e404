package org.wikievents.cli;

import picocli.CommandLine;

/** The version, from the jar manifest when packaged. */
public final class Version implements CommandLine.IVersionProvider {
  public static final String NUMBER =
      java.util.Objects.requireNonNullElse(
          Version.class.getPackage().getImplementationVersion(), "0.1.0");

  @Override
  public String[] getVersion() {
    return new String[] {"wiki-events " + NUMBER};
  }
}
