using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;
using NewsApi.Development;

namespace NewsApi.Tests.Architecture;

/// <summary>
/// The parts of the house and what must never depend on what (STYLE.md), checked twice: in the compiled service, where
/// every real use of a type shows, and in the source, where a <c>using</c> shows before anything uses it.
/// </summary>
public sealed partial class ArchitectureTests
{
    static readonly Assembly Service = typeof(Program).Assembly;
    const string Migrations = "NewsApi.Data.Migrations";

    /// <summary>Work that spans resources, the domain and the capabilities: none of it may know an endpoint.</summary>
    static readonly string[] Capabilities =
        ["Content", "Articles", "Changes", "Reads", "Search", "Import", "Feeds", "Webhooks", "Scheduling", "Retention", "Demo", "Site", "Telemetry", "Sync", "Media"];

    /// <summary>Folders of src/NewsApi and the parts of the house each must never use.</summary>
    public static TheoryData<string, string[]> Forbidden()
    {
        var rules = new TheoryData<string, string[]>
        {
            // The model knows no endpoint, no HTTP and no background work; Content's value types (blocks, datelines)
            // are part of the model the entities store.
            { "Data", ["Api", "Features", .. Capabilities.Except(["Content"])] },
            // Plumbing serves every feature and knows none: facts about a route travel as the route's own metadata.
            { "Api", ["Features", .. Capabilities.Except(["Content", "Site"])] },
        };
        foreach (var part in Capabilities)
            rules.Add(part, ["Features"]);
        return rules;
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void A_part_of_the_service_uses_no_type_of_a_part_it_must_not_know(string part, string[] forbidden)
    {
        var result = Types.InAssembly(Service)
            .That().ResideInNamespace($"NewsApi.{part}")
            .ShouldNot().HaveDependencyOnAny(forbidden.Select(f => $"NewsApi.{f}").ToArray())
            .GetResult();

        Assert.True(result.IsSuccessful,
            $"{part}/ uses {string.Join(", ", forbidden)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void A_part_of_the_service_names_no_namespace_of_a_part_it_must_not_know(string part, string[] forbidden)
    {
        var folder = Path.Combine(SourceRoot, part);
        Assert.True(Directory.Exists(folder), $"{folder} is missing");
        var offending = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}"))
            .SelectMany(file => NamespaceUse().Matches(File.ReadAllText(file))
                .Where(m => forbidden.Contains(m.Groups["part"].Value))
                .Select(m => $"{Path.GetRelativePath(SourceRoot, file)}: {m.Value.Trim()}"))
            .ToList();

        Assert.True(offending.Count == 0, string.Join(Environment.NewLine, offending));
    }

    [Fact]
    public void The_service_does_not_reference_the_development_support()
    {
        Assert.DoesNotContain(Service.GetReferencedAssemblies(), a => a.Name == typeof(RepositoryRoot).Assembly.GetName().Name);
        Assert.DoesNotContain(Service.GetTypes(), t => t.Namespace?.StartsWith("NewsApi.Development", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void No_production_source_starts_a_database()
    {
        var offending = Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(file => Regex.IsMatch(File.ReadAllText(file), @"\b(initdb|pg_ctl|runuser)\b"))
            .Select(file => Path.GetRelativePath(SourceRoot, file))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void The_service_exposes_no_type_but_its_entry_point()
    {
        // Tests and benchmarks see internals by InternalsVisibleTo; the test host needs the public Program, and EF's
        // scaffolder writes migrations public (generated code, left as generated).
        var exposed = Service.GetExportedTypes()
            .Where(t => t != typeof(Program) && t.Namespace != Migrations)
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(exposed);
    }

    [Fact]
    public void A_class_that_nothing_derives_from_is_sealed()
    {
        var types = Service.GetTypes();
        var bases = types.Select(t => t.BaseType).Where(b => b is not null).Select(b => b!.IsGenericType ? b.GetGenericTypeDefinition() : b)
            .ToHashSet();
        var open = types
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !bases.Contains(t))
            .Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
            .Where(t => t != typeof(Program) && t.Namespace != Migrations)
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(open);
    }

    [Fact]
    public void Every_decision_record_a_comment_names_exists()
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("no repository root");
        var records = Directory.EnumerateFiles(Path.Combine(SourceRoot, "Decisions"), "*.md").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        var numbers = records.Select(r => r![..4]).ToHashSet();
        var dangling = new[] { "src", "tests", "deploy" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".ts", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains("node_modules"))
            .Append(Path.Combine(root, "README.md"))
            .SelectMany(f => DecisionReference().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(root, f), m.Groups["name"].Value, m.Groups["number"].Value)))
            .Where(r => r.Item2.Length > 0 ? !records.Contains(r.Item2) : !numbers.Contains(r.Item3))
            .Select(r => $"{r.File}: {(r.Item2.Length > 0 ? r.Item2 : r.Item3)}")
            .Distinct()
            .ToList();

        Assert.Empty(dangling);
    }

    // Decisions/0016-sync.md, Decisions/0009, "decision 0015".
    [GeneratedRegex(@"Decisions/(?:(?<name>\d{4}-[a-z0-9-]+)\.md|(?<number>\d{4})\b)|[Dd]ecision (?:record )?(?<number>\d{4})\b")]
    private static partial Regex DecisionReference();

    static string SourceRoot =>
        Path.Combine(RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("no repository root"),
            "src", "NewsApi");

    // `using NewsApi.X;`, `using Alias = NewsApi.X.Y;`, `global using ...` and fully qualified `NewsApi.X.Type`.
    [GeneratedRegex(@"\bNewsApi\.(?<part>[A-Z][A-Za-z]*)\b")]
    private static partial Regex NamespaceUse();
}
