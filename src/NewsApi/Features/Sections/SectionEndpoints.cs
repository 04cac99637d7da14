namespace NewsApi.Features.Sections;

public static class SectionEndpoints
{
    public static RouteGroupBuilder MapSections(this RouteGroupBuilder api)
    {
        var sections = api.MapGroup("/sections").WithTags("Sections");
        sections.MapGet("/", GetSections.Tree).WithName("listSections")
            .WithSummary("The section tree")
            .WithDescription("Every section with its sub-sections nested under children, ordered by position.");
        sections.MapGet("/{slug}", GetSections.BySlug).WithName("getSection")
            .WithSummary("Get a section by slug")
            .WithDescription("The section, its path from the top of the tree (breadcrumbs) and its direct sub-sections. " +
                             "Its articles are at /api/v1/articles?section={slug}, sub-sections included.");
        return api;
    }
}
