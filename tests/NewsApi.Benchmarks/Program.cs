using NewsApi.Benchmarks;
using NewsApi.Benchmarks.Reads;

// Each command in its own file: SearchBenchmark.cs, Reads/ReadsBenchmark.cs, MediaBenchmark.cs (their first lines give the options).
return args switch
{
    ["search", ..] => await SearchBenchmark.Run(args),
    ["reads", ..] => await ReadsBenchmark.Run(args),
    ["scripts", ..] => await ScriptsBenchmark.Run(args),
    ["sync", ..] => await SyncBenchmark.Run(args),
    ["media", ..] => await MediaBenchmark.Run(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: search --articles N [--seconds S] [--clients C] [--seed N] [--keep] [--data DIR] [--reuse] [--only TEXT] [--explain]");
    Console.Error.WriteLine("       reads [--articles N] [--seconds S] [--warmup S] [--connections C] [--seed N] [--keep] [--data DIR] [--reuse]");
    Console.Error.WriteLine("             [--wait-load L] [--show-sql]");
    Console.Error.WriteLine("       scripts [--iterations N]");
    Console.Error.WriteLine("       sync [--articles N] [--changes N] [--rounds N] [--seed N]");
    Console.Error.WriteLine("       media [--runs N] [--seconds S] [--workers N] [--write-jpeg PATH WIDTH HEIGHT]");
    Console.Error.WriteLine("       media --serve [--seconds S] [--warmup S] [--connections C] [--dll PATH]");
    return 2;
}
