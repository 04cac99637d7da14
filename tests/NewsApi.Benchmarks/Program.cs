using NewsApi.Benchmarks;

// Each command in its own file: SearchBenchmark.cs (its first lines give the options).
return args switch
{
    ["search", ..] => await SearchBenchmark.Run(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: search --articles N [--seconds S] [--clients C] [--seed N] [--keep] [--data DIR] [--reuse] [--only TEXT] [--explain]");
    return 2;
}
