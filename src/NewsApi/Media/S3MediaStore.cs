using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace NewsApi.Media;

/// <summary>Any S3-compatible object store (AWS, MinIO, Ceph, R2), one object per key in Media:S3:Bucket.</summary>
internal sealed class S3MediaStore(S3StorageOptions options) : IMediaStore, IDisposable
{
    // Without keys in the settings, the SDK's own chain finds them (environment, profile, instance role).
    readonly AmazonS3Client _client = options.AccessKey is { Length: > 0 } key
        ? new(new BasicAWSCredentials(key, options.SecretKey), Config(options))
        : new(Config(options));

    static AmazonS3Config Config(S3StorageOptions o)
    {
        var config = new AmazonS3Config
        {
            AuthenticationRegion = o.Region,
            ForcePathStyle = o.ForcePathStyle,
            // Checksums only where S3 requires them: many compatible stores know no trailing-checksum uploads.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(o.ServiceUrl))
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(o.Region);
        else
            config.ServiceURL = o.ServiceUrl;
        return config;
    }

    public async Task EnsureBucketAsync(CancellationToken ct)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Bucket, Key = key, InputStream = content, ContentType = contentType,
            AutoCloseStream = false, UseChunkEncoding = false,
        }, ct);

    public async Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        try
        {
            var response = await _client.GetObjectAsync(options.Bucket, key, ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken ct)
    {
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, Prefix = prefix, ContinuationToken = token }, ct);
            foreach (var item in page.S3Objects ?? [])
                await _client.DeleteObjectAsync(options.Bucket, item.Key, ct);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
    }

    public void Dispose() => _client.Dispose();
}
