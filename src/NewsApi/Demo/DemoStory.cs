namespace NewsApi.Demo;

/// <summary>
/// The facts of the demo story (the 2023 Wuzhen summit piece of the embedded sample) and of the newsroom around it,
/// said once: the demo content is loaded with them and the OpenAPI examples are built from them.
/// </summary>
internal static class DemoStory
{
    public const string Slug = "wuzhen-summit-why-wuzhen";
    public const string Title = "心向“網”之:為何是烏鎮?";
    public const string Subtitle = "江南水鄉的十年";
    public const string Summary = "11月10日,2023年世界互聯網大會烏鎮峰會(下稱烏鎮峰會)正式落下帷幕。";
    public const string Lead = "十年前,一“網”情深的故事從這座江南水鄉落筆。";
    public const string Heading = "聚焦發展 共享普惠繁榮";
    public const string Paragraph = "在東南亞,中國企業助力泰國打造東盟首家5G智慧醫院。";
    public const string Agency = "中新網";
    public const string Place = "烏鎮";
    public const string Date = "2023-11-11";
    public const string Time = "2023-11-11T02:30:00Z";
    public const string DatelineText = "中新網烏鎮11月11日電";
    public const string Source = "中國新聞網";
    public const string SourceUrl = "https://www.chinanews.com.cn/";
    public const string Language = "zh-Hant";

    public const string AuthorSlug = "zhang-yuhuan";
    public const string AuthorName = "張煜歡";
    public const string SectionSlug = "domestic";
    public const string SectionName = "國內";
    public const string SectionDescription = "中國內地新聞";
    public const string SubsectionSlug = "zhejiang";
    public const string SubsectionName = "浙江";
    public const string SubsectionDescription = "浙江省新聞";
    public const string TagSlug = "wuzhen";
    public const string TagName = "烏鎮";
    public const string TopicSlug = "2023-wuzhen-summit";
    public const string TopicTitle = "2023年世界互聯網大會烏鎮峰會";
    public const string TopicDescription = "專題：" + TopicTitle;
    public const string FeaturedSlug = "domestic";
    public const string FeaturedTitle = "國內新聞精選";
}
