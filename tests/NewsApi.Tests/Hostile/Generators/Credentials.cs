using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Every operation with keys that must not work: none where one is needed, revoked, unknown, malformed, in other
/// schemes or places, several at once; a previewer's key on every write. A request carrying a key that does not work
/// is a 401 everywhere, public reads included, never served as anonymous.
/// </summary>
internal static class Credentials
{
    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        var unknown = NewsApi.Api.Auth.ApiKeySecrets.New();
        (string Case, string Value)[] refused =
        [
            ("revoked key", "Bearer " + s.RevokedKey), ("unknown key", "Bearer " + unknown), ("garbage key", "Bearer garbage"),
            ("empty bearer", "Bearer "), ("bare scheme", "Bearer"), ("key with a tail", "Bearer " + s.RevokedKey + " extra"),
            ("truncated key", "Bearer " + s.AdminKey[..^3]), ("key of 8 KB", "Bearer nak_" + new string('A', 8_000)),
            ("key in lower-case scheme, unknown", "bearer " + unknown), ("non-ASCII key", "Bearer nak_烏鎮"),
            ("Basic", "Basic dXNlcjpwYXNz"), ("Digest", "Digest username=\"admin\", response=\"x\""), ("Negotiate", "Negotiate YII="),
            ("Token scheme", "Token " + s.AdminKey), ("ApiKey scheme", "ApiKey " + s.AdminKey), ("scheme only garbage", "garbage"),
            ("tab separated", "Bearer\t" + unknown), ("two keys in one header", $"Bearer {s.AdminKey}, Bearer {s.RevokedKey}"),
        ];

        foreach (var op in Operations.All)
        {
            var url = s.RealUrl(op);
            var (body, type) = Bodies(op);
            HostileRequest As(string @case, Credential credential, int? expect, params (string, string)[] headers) =>
                new(@case, op.Method, url, credential) { Body = body, ContentType = type, Expect = expect, Headers = headers };

            var api = op.Path.StartsWith("/api/", StringComparison.Ordinal);
            foreach (var (@case, value) in refused)
                yield return As(@case, Credential.Invalid, api ? 401 : null, ("Authorization", value));
            yield return As("a good key then a revoked one", Credential.Invalid, null, ("Authorization", "Bearer " + s.AdminKey), ("Authorization", "Bearer " + s.RevokedKey));
            if (op.Secured)
            {
                yield return As("no key", Credential.Anonymous, 401);
                yield return As("key in X-Api-Key", Credential.Invalid, 401, ("X-Api-Key", s.AdminKey));
                yield return As("key in the query", Credential.Invalid, 401) with { Url = url + (url.Contains('?') ? "&" : "?") + "api_key=" + s.AdminKey };
                yield return As("key in a cookie", Credential.Invalid, 401, ("Cookie", "api_key=" + s.AdminKey));
                if (!op.Safe)
                    yield return As("previewer writes", Credential.Previewer, 403);
            }
        }
    }

    /// <summary>The documented example: a key that does not work must stop even a valid request.</summary>
    static (byte[]? Body, string? Type) Bodies(Operation op) =>
        op.Bodies.Count > 0 && op.Bodies[0] is var b ? (Hostile.Bodies.Example(b), b.MediaType) : (null, null);
}
