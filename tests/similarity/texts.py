"""Texts built for the 查重 acceptance tests (issue 17): a published case, its disguised copy,
an original text, and a text quoting four sentences of the 纲要."""

from __future__ import annotations

# A published case: five paragraphs of three sentences each.
PARAGRAPHS = [
    [
        "银龄课堂项目起步于二〇二一年春天，最初只在两个老旧小区试点。",
        "街道联合社区卫生服务站摸排了辖区内一千四百多名独居和高龄老人的用机需求。",
        "调查发现，挂号就医、缴纳水电费和视频通话是老人最想学会的三件事。",
    ],
    [
        "课程由街道文化站统一设计，分为入门、进阶和防诈骗三个单元。",
        "每个单元配有大字版图文手册和方言讲解视频，老人可以带回家反复观看。",
        "志愿者来自附近两所职业学院的信息技术专业，经过培训后持证上岗。",
    ],
    [
        "每周二和周五下午，志愿者在社区活动室一对一辅导，每次不超过九十分钟。",
        "对行动不便的老人，志愿者上门服务，并帮助子女远程设置手机的关怀模式。",
        "课堂结束后，老人在结业卡上盖章，集满十个印章可以兑换一份生活用品。",
    ],
    [
        "三年来，项目累计开课六百余节，参加学习的老人达到一万二千人次。",
        "回访显示，八成以上的学员能够独立完成线上挂号和移动支付。",
        "社区反诈宣传与课程结合后，辖区老人被骗案件数量下降了四成左右。",
    ],
    [
        "这一做法的关键在于把学校的志愿力量和社区的组织力量结合起来。",
        "推广时只需要一间活动室、一批经过培训的学生志愿者和一套教材。",
        "按照一个社区每年两万元的投入测算，其他城市可以在三个月内复制落地。",
    ],
]

# Another wording of one sentence per paragraph... and of a few more: five of the fifteen.
REWORDED = {
    (0, 1): "工作人员会同卫生服务站上门走访，了解了一千多位独居老人在用手机时遇到的难处。",
    (1, 2): "担任辅导员的是周边职业院校计算机相关专业的学生，上岗前都参加过集中培训。",
    (2, 0): "辅导安排在每周两个下午，地点是社区活动室，采用一名志愿者对应一位老人的方式。",
    (3, 1): "跟踪回访表明，多数学员已经可以自己在网上预约门诊、用手机付款。",
    (4, 2): "以单个社区每年约两万元的经费估算，别的城市用一个季度左右就能照搬实施。",
}

SOURCE_TITLE = "银龄课堂：社区志愿者帮助老年人跨越数字鸿沟"
SOURCE_SUMMARY = "街道联合职业院校志愿者，在社区开设银龄课堂，三年累计培训老年人一万二千人次。"


def paragraphs_text(paragraphs: list[list[str]]) -> str:
    return "\n".join("".join(p) for p in paragraphs)


def source_fields() -> dict:
    bodies = [paragraphs_text([p]) for p in PARAGRAPHS]
    return {
        "title": SOURCE_TITLE, "summary": SOURCE_SUMMARY,
        "background": bodies[0], "approach": bodies[1] + "\n" + bodies[2], "outcomes": bodies[3],
        "lessons": bodies[4],
    }


def disguised_copy_fields() -> dict:
    """Paragraphs reordered, a third of the sentences reworded, a new title, no summary copied."""
    rewritten = [
        [REWORDED.get((i, j), sentence) for j, sentence in enumerate(paragraph)]
        for i, paragraph in enumerate(PARAGRAPHS)
    ]
    order = [3, 1, 4, 0, 2]
    bodies = [paragraphs_text([rewritten[i]]) for i in order]
    return {
        "title": "数字助老进社区：学生志愿者结对教老人用智能手机",
        "background": bodies[0], "approach": bodies[1] + "\n" + bodies[2], "outcomes": bodies[3],
        "lessons": bodies[4],
    }


ORIGINAL_FIELDS = {
    "title": "渔村电商合作社带动船老大直播卖海鲜",
    "summary": "沿海渔村组建电商合作社，请返乡青年教渔民拍短视频、开网店，让刚靠岸的海货当天发往全国。",
    "background": "东澳渔村有三百多条小渔船，过去渔获只能低价卖给收购商，渔民收入随行情大起大落。",
    "approach": "合作社租下码头旁的旧冷库改成直播间，返乡大学生每晚开设拍摄剪辑夜校。"
                "渔民按船编组，轮流出镜讲解捕捞作业，订单由合作社统一打包冷链发货。",
    "outcomes": "一年里合作社网店销售额突破八百万元，参与直播的船老大户均增收三万余元。",
    "lessons": "让渔民自己讲自己的海，比请网红代播更能赢得买家信任。",
}

# Four sentences of the 纲要 (similarity/corpus/gangyao-2021.txt), quoted in an otherwise own text.
POLICY_SENTENCES = [
    "数字素养与技能是数字社会公民学习工作生活应具备的数字获取、制作、使用、评价、交互、分享、创新、安全保障、伦理道德等—系列素质与能力的组合。",
    "提升全民数字素养与技能,是顺应数字时代要求,提升国民素质、促进人的全面发展的战略任务,是实现从网络大国迈向网络强国的必由之路,也是弥合数字鸿沟、促进共同富裕的关键举措。",
    "当前,全球经济数字化转型不断加速,数字技术深刻改变着人类的思维、生活、生产、学习方式,推动世界政治格局、经济格局、科技格局、文化格局、安全格局深度变革,全民数字素养与技能日益成为国际竞争力和软实力的关键指标。",
    "以习近平新时代中国特色社会主义思想为指导,坚持以人民为中心,落实高质量发展要求,以满足人民日益增长的美好生活需要、促进人的全面发展和全体人民共同富裕为根本目的。",
]


def policy_quoting_fields() -> dict:
    fields = dict(ORIGINAL_FIELDS)
    fields["background"] = "".join(POLICY_SENTENCES) + ORIGINAL_FIELDS["background"]
    return fields
