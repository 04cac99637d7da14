using System.Text.Json;
using FluentValidation;

namespace NewsApi.Api;

/// <summary>Runs the FluentValidation validator of every validatable argument before the handler.</summary>
internal static class ValidationFilter
{
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // Validators are scoped: ask whether one is registered without resolving it from the root provider.
        var registered = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var validated = context.MethodInfo.GetParameters()
            .Select((p, i) => (Index: i, Type: typeof(IValidator<>).MakeGenericType(p.ParameterType)))
            .Where(p => registered.IsService(p.Type))
            .ToArray();
        if (validated.Length == 0)
            return next;

        return async invocation =>
        {
            foreach (var (index, type) in validated)
            {
                // After a binding failure the argument is null and the framework has already answered 400.
                if (invocation.Arguments[index] is not { } argument)
                    continue;
                if (XmlChars.Errors(argument) is { Count: > 0 } uncarried)
                    return Problems.Invalid(uncarried);
                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(type);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                if (!result.IsValid)
                    return Problems.Invalid(result.ToDictionary());
            }
            return await next(invocation);
        };
    }

    public static IServiceCollection AddRequestValidation(this IServiceCollection services)
    {
        // Errors are keyed by the names clients send (camelCase JSON members and query parameters).
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        // A field's first failure is its answer: a 1 MB title is refused for its length before any pattern reads it.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        // A validator compiles its rules' expressions when it is built, so one built per request costs more than the
        // validation itself: those that need nothing from the request's scope are built once.
        return services
            .AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, r => !NeedsScope(r.ValidatorType), includeInternalTypes: true)
            .AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Scoped, r => NeedsScope(r.ValidatorType), includeInternalTypes: true);
    }

    static bool NeedsScope(Type validator) =>
        validator.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(Data.NewsDbContext)));

    public static TBuilder WithValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory(Factory);
        return builder;
    }
}
