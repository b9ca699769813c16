using Custom.Cli;

return CliApp.Run(args, CliContext.FromConsole());
