using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NewsApi.Search;

/// <summary>
/// Does nothing any more: <see cref="Changes.ChangeRecorder"/> writes search rows, through <see cref="SearchDocumentWriter"/>,
/// with every other record of a change. Kept only while Data/DatabaseSetup.cs and the tests' fixture still name it;
/// delete it together with those two references.
/// </summary>
public sealed class SearchDocumentInterceptor : SaveChangesInterceptor
{
    public static readonly SearchDocumentInterceptor Instance = new();
}
