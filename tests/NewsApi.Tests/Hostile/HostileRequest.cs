namespace NewsApi.Tests.Hostile;

/// <summary>Who a request claims to be.</summary>
internal enum Credential
{
    /// <summary>No Authorization header.</summary>
    Anonymous,
    /// <summary>A live admin key: the request is meant to get past authentication and fail on its input.</summary>
    Admin,
    /// <summary>A live previewer key: may read drafts, may write nothing.</summary>
    Previewer,
    /// <summary>The Authorization header (or none) comes from <see cref="HostileRequest.Headers"/>: a broken, unknown or revoked key.</summary>
    Invalid,
}

/// <summary>One request of the suite: what is sent, and anything more than the general rules that its answer must meet.</summary>
internal sealed record HostileRequest(string Case, string Method, string Url, Credential Credential)
{
    public byte[]? Body { get; init; }

    /// <summary>The Content-Type header exactly as sent; null sends none.</summary>
    public string? ContentType { get; init; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>The one status the answer must have, when the case calls for one (405 for a wrong method, 401 for a bad key).</summary>
    public int? Expect { get; init; }

    /// <summary>
    /// Kestrel refuses a path that decodes to NUL, and a Host it cannot parse, with a bare 400 before the app: the
    /// requests of the suite the service cannot answer itself (RawRequestTests lists every such request;
    /// deploy/haproxy.cfg shapes them at the edge). A request line or headers over the service's limits are the
    /// service's own 414 and 431 problems (Api/RequestHeadLimits).
    /// </summary>
    public bool KestrelRefuses => Url.Split('?')[0].Contains("%00", StringComparison.Ordinal)
        || Headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the request can get past authentication to a write, so its success may change stored data.</summary>
    public bool MayWrite => Credential is Credential.Admin && Method is not ("GET" or "HEAD" or "OPTIONS");

    /// <summary>Whether the answer is one an anonymous caller could get: it must show nothing non-public.</summary>
    public bool Public => Credential is Credential.Anonymous or Credential.Invalid;

    public override string ToString() => $"{Method} {(Url.Length > 160 ? Url[..160] + "…" : Url)} [{Case}, {Credential}]";
}
