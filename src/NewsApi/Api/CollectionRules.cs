using System.Collections;
using FluentValidation;
using FluentValidation.Validators;

namespace NewsApi.Api;

/// <summary>A bound on how many items a collection may hold, which the OpenAPI document reads as maxItems.</summary>
internal interface ICountValidator
{
    int Max { get; }
}

/// <summary>A bound on the length of each string in a collection, which the OpenAPI document reads as the items' maxLength.</summary>
internal interface IItemLengthValidator
{
    int Max { get; }
}

/// <summary>Bounds of collections, reported on the collection itself (errors keyed "tags", not "tags[3]").</summary>
internal static class CollectionRules
{
    /// <summary>At most <paramref name="max"/> items; null passes (NotNull or NotEmpty say otherwise).</summary>
    public static IRuleBuilderOptions<T, TCollection> MaxCount<T, TCollection>(this IRuleBuilder<T, TCollection> rule, int max)
        where TCollection : IEnumerable? =>
        rule.SetValidator(new MaxCountValidator<T, TCollection>(max));

    /// <summary>No item longer than <paramref name="max"/> characters.</summary>
    public static IRuleBuilderOptions<T, TCollection> MaxItemLength<T, TCollection>(this IRuleBuilder<T, TCollection> rule, int max)
        where TCollection : IEnumerable<string>? =>
        rule.SetValidator(new MaxItemLengthValidator<T, TCollection>(max));
}

internal sealed class MaxCountValidator<T, TCollection>(int max) : PropertyValidator<T, TCollection>, ICountValidator
    where TCollection : IEnumerable?
{
    public int Max => max;

    public override string Name => "MaxCountValidator";

    public override bool IsValid(ValidationContext<T> context, TCollection value) =>
        value is null || (value is ICollection c ? c.Count : value.Cast<object>().Count()) <= max;

    protected override string GetDefaultMessageTemplate(string errorCode) => $"{{PropertyName}} may hold at most {max} items.";
}

internal sealed class MaxItemLengthValidator<T, TCollection>(int max) : PropertyValidator<T, TCollection>, IItemLengthValidator
    where TCollection : IEnumerable<string>?
{
    public int Max => max;

    public override string Name => "MaxItemLengthValidator";

    public override bool IsValid(ValidationContext<T> context, TCollection value) => value is null || value.All(v => v is null || v.Length <= max);

    protected override string GetDefaultMessageTemplate(string errorCode) => $"{{PropertyName}} may hold items of at most {max} characters.";
}
