using MoeGrains.Cli;

return MoeApp.Run(args);
