using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NewsApi.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the service or a database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NewsDbContext>
{
    public NewsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<NewsDbContext>()
        .UseNpgsql("Host=127.0.0.1;Database=newsapi_design")
        .UseSnakeCaseNamingConvention()
        .Options);
}
