using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;

namespace NewsApi.Features.PreviewLinks;

/// <summary>
/// Preview links: editors make, list and revoke them on an article; whoever holds one reads the article as it stands,
/// with no key (Decisions/0019-preview-links.md).
/// </summary>
internal static class PreviewLinkEndpoints
{
    const string Open = "/preview";

    /// <summary>The address a preview link opens, relative to the service's root.</summary>
    public static string Path(string token) => $"{ApiRoutes.Prefix}{Open}/{token}";

    public static RouteGroupBuilder MapPreviewLinks(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/articles/{id:guid}/preview-links").WithTags("Preview links")
            .RequireAuthorization(Policies.Editor).WithResourceParameters().WithParameterDocs(ListPreviewLinks.Parameters);
        links.MapPost("/", CreatePreviewLink.Handle).WithName("createPreviewLink").WithValidation()
            .WithSummary("Make a preview link for an article")
            .WithDescription("The answer holds the link's url and token, once: only a hash of the token is stored. Whoever opens the " +
                             "url reads the article as it stands (draft, scheduled or a pending edit), with no key, until the link " +
                             "expires (lifetime, an ISO 8601 duration: default PT24H, at most P14D), is revoked, or the article is " +
                             "killed or deleted.");
        links.MapGet("/", ListPreviewLinks.Handle).WithName("listPreviewLinks").WithValidation()
            .WithSummary("List an article's preview links")
            .WithDescription("Newest first, expired and revoked ones included; never the token.");
        links.MapDelete("/{linkId:guid}", RevokePreviewLink.Handle).WithName("revokePreviewLink")
            .WithSummary("Revoke a preview link")
            .WithDescription("The link stops working at once (410). Revoked links stay listed.");

        api.MapGet($"{Open}/{{token}}", OpenPreviewLink.Handle).WithName("openPreviewLink").WithScripts().WithTags("Preview links")
            .WithParameterDocs(OpenPreviewLink.Parameters).AddEndpointFilter(OpenPreviewLink.NeverStored)
            .WithSummary("Read an article through a preview link")
            .WithDescription("The article as it stands now, whatever its status, for whoever holds the link: no key needed. Answers are " +
                             "Cache-Control: private, no-store and X-Robots-Tag: noindex, and no cache keeps them. An unknown token is a " +
                             "404; a link that expired or was revoked, or whose article was killed, is a 410. Draws on the anonymous " +
                             "read budget of the caller's address.");
        return api;
    }
}
