"""简体中文: the bot's own messages in Simplified Chinese, keyed by the English text."""

MESSAGES: dict[str, str] = {
    # The conversation: guide, replies, buttons, computed answers.
    "I turn a photo of a chart into data you can edit.\n"
    "\n"
    "1. Send me a chart: a photo, a screenshot, or an image file.\n"
    "2. I read its data table and draw the chart again.\n"
    "3. Tell me what to change, in your own words (or in the photo's caption):\n"
    "   • “make it a pie chart”\n"
    "   • “sort descending”\n"
    "   • “add 2024 = 50”\n"
    "   • “what grew fastest?”\n"
    "\n"
    "Commands: /table shows the data, /csv sends it as a file (/xlsx as an Excel workbook), "
    "/export sends the chart as PNG "
    "and SVG files, /undo and /redo step through your changes, /reset starts over, /cancel "
    "stops what I'm working on.":
        "我能把图表照片变成可以编辑的数据。\n"
        "\n"
        "1. 发给我一张图表：照片、截图或图片文件都可以。\n"
        "2. 我会读出其中的数据表，并重新画出图表。\n"
        "3. 用你自己的话告诉我要改什么（也可以写在照片的说明里）：\n"
        "   • “改成饼图”\n"
        "   • “按降序排列”\n"
        "   • “添加 2024 = 50”\n"
        "   • “哪一项增长最快？”\n"
        "\n"
        "命令：/table 显示数据，/csv 以文件发送数据（/xlsx 以 Excel 工作簿发送），"
        "/export 以 PNG 和 SVG 文件发送图表，"
        "/undo 和 /redo 撤销或重做你的修改，/reset 重新开始，/cancel 停止我正在做的事。",
    "Send me a chart photo first — then tell me what to change about it.":
        "请先发给我一张图表照片，然后告诉我要改什么。",
    "I can't reach my memory store right now, so I can't work on your chart. "
    "Nothing is lost — please try again in a minute.":
        "我现在连不上存储，暂时无法处理你的图表。数据没有丢失，请过一分钟再试。",
    "Here is your data as a chart: {summary}. Tell me what to change.":
        "这是用你的数据画出的图表：{summary}。告诉我要改什么。",
    "Here is your chart again: {summary}. Tell me what to change.":
        "这是重新画出的图表：{summary}。告诉我要改什么。",
    "I couldn't make out any words in that voice message.": "我没听清这条语音消息里的话。",
    "I couldn't find a chart with data in that picture. Send a clear, straight photo or "
    "screenshot of a bar, line or pie chart.":
        "我在这张图片里没找到带数据的图表。请发一张清晰、端正的柱状图、折线图或饼图的照片或截图。",
    "I couldn't turn that into a change to your chart. Try saying it another way, "
    "e.g. “make it a line chart”.":
        "我没能把这句话变成对图表的修改。换个说法试试，比如“改成折线图”。",
    "Done.": "好了。",
    "Nothing to undo.": "没有可以撤销的修改。",
    "Undone.": "已撤销。",
    "Nothing to redo.": "没有可以重做的修改。",
    "Redone.": "已重做。",
    "{done} There is no table now. {guide}": "{done}现在没有表格了。{guide}",
    "There is nothing to reset. {guide}": "没有需要重置的内容。{guide}",
    "Cleared. Send a new chart photo (/undo brings the old one back).":
        "已清空。请发一张新的图表照片（/undo 可以恢复原来的）。",
    "Voice replies are on: answers also come as a voice note. /voice turns them off.":
        "语音回复已开启：回答也会以语音消息发送。/voice 可以关闭。",
    "Voice replies are on.": "语音回复已开启。",
    "Voice replies are off.": "语音回复已关闭。",
    "I can't draw that: {reason}.": "我画不出来：{reason}。",
    "I can't draw that: {reason}. Your chart is unchanged.":
        "我画不出来：{reason}。你的图表没有改动。",
    "{reason} Your chart is unchanged.": "{reason}你的图表没有改动。",
    "I couldn't work that out: {reason}.": "我算不出来：{reason}。",
    "That button doesn't work any more.": "这个按钮已经失效了。",
    "Stopped.": "已停止。",
    "There is no chart now. {guide}": "现在没有图表。{guide}",
    "That chart is out of date; use the buttons under the newest one.":
        "这张图表已经过时，请使用最新图表下面的按钮。",
    "Voice replies on.": "语音回复已开启。",
    "Voice replies off.": "语音回复已关闭。",
    "Sorted": "已排序",
    "Chart": "图表",
    "Bar chart": "柱状图",
    "Horizontal bar chart": "条形图",
    "Stacked bar chart": "堆积柱状图",
    "Line chart": "折线图",
    "Area chart": "面积图",
    "Stacked area chart": "堆积面积图",
    "Scatter chart": "散点图",
    "Pie chart": "饼图",
    "Donut chart": "环形图",
    "Bar and line chart": "柱线组合图",
    "📊 Bar": "📊 柱状图",
    "📈 Line": "📈 折线图",
    "🥧 Pie": "🥧 饼图",
    "⇣ Sort": "⇣ 降序",
    "⇡ Sort": "⇡ 升序",
    "✕ Unsort": "✕ 取消排序",
    "↶ Undo": "↶ 撤销",
    "📋 Table": "📋 表格",
    "🔇 Voice off": "🔇 关闭语音",
    "🔊 Voice": "🔊 语音",
    "The table is too big for a message: {summary}": "表格太大，一条消息放不下：{summary}",
    "The chart at print size (PNG) and as an SVG whose text you can edit. /csv sends the data.":
        "打印尺寸的图表（PNG），以及文字可以编辑的 SVG。/csv 可以发送数据。",
    "{answer} (Rows used: {rows}.)": "{answer}（所用的行：{rows}）",
    "all {count} rows": "全部{count}行",
    ", ": "、",
    "{items} and {last}": "{items}和{last}",
    "{n}st": "第{n}",
    "{n}nd": "第{n}",
    "{n}rd": "第{n}",
    "{n}th": "第{n}",
    "The total of {column} is {value}.": "{column}的总计是{value}。",
    "The average of {column} is {value}.": "{column}的平均值是{value}。",
    "The median of {column} is {value}.": "{column}的中位数是{value}。",
    "{labels} has the lowest {column}: {value}.": "{labels}的{column}最低：{value}。",
    "{labels} have the lowest {column}: {value}.": "{labels}的{column}最低：{value}。",
    "{labels} has the highest {column}: {value}.": "{labels}的{column}最高：{value}。",
    "{labels} have the highest {column}: {value}.": "{labels}的{column}最高：{value}。",
    "{column} has no values.": "{column}没有值。",
    "{column} has {count} value.": "{column}有{count}个值。",
    "{column} has {count} values.": "{column}有{count}个值。",
    "{column} has no values in the chosen rows.": "所选的行中，{column}没有值。",
    "{column} has {count} value in the chosen rows.": "所选的行中，{column}有{count}个值。",
    "{column} has {count} values in the chosen rows.": "所选的行中，{column}有{count}个值。",
    "{column} ranges from {low} ({low_label}) to {high} ({high_label}), a spread of {spread}.":
        "{column}从{low}（{low_label}）到{high}（{high_label}），相差{spread}。",
    "From {first} to {last}, {column} changed {change} (from {first_value} to {last_value}).":
        "从{first}到{last}，{column}变化了{change}（从{first_value}到{last_value}）。",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "period (from {first_value} to {last_value}).":
        "从{first}到{last}，{column}每期变化{change}，按{steps}期复合计算"
        "（从{first_value}到{last_value}）。",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "periods (from {first_value} to {last_value}).":
        "从{first}到{last}，{column}每期变化{change}，按{steps}期复合计算"
        "（从{first_value}到{last_value}）。",
    "{label} grew fastest: {change} (from {before} to {after}).":
        "{label}增长最快：{change}（从{before}到{after}）。",
    "{label} had the largest change: {change} (from {before} to {after}).":
        "{label}变化最大：{change}（从{before}到{after}）。",
    "{label} fell the most: {change} (from {before} to {after}).":
        "{label}下降最多：{change}（从{before}到{after}）。",
    "{label} grew slowest: {change} (from {before} to {after}).":
        "{label}增长最慢：{change}（从{before}到{after}）。",
    "{labels} is {share}% of the total {column} ({part} of {total}).":
        "{labels}占{column}总计的{share}%（总计{total}中的{part}）。",
    "{labels} together are {share}% of the total {column} ({part} of {total}).":
        "{labels}合计占{column}总计的{share}%（总计{total}中的{part}）。",
    "In {column}, {a} and {b} are equal ({a_value} vs {b_value}).":
        "在{column}上，{a}和{b}相等（分别为{a_value}和{b_value}）。",
    "{amount} percentage points": "{amount}个百分点",
    "In {column}, {a} is {amount} more than {b} ({a_value} vs {b_value}).":
        "在{column}上，{a}比{b}多{amount}（分别为{a_value}和{b_value}）。",
    "In {column}, {a} is {amount} less than {b} ({a_value} vs {b_value}).":
        "在{column}上，{a}比{b}少{amount}（分别为{a_value}和{b_value}）。",
    "In {column}, {a} is {ratio} times {b} ({a_value} vs {b_value}).":
        "在{column}上，{a}是{b}的{ratio}倍（分别为{a_value}和{b_value}）。",
    "{label} ranks {place} of {count} by {column} ({value}).":
        "按{column}，{label}在{count}行中排{place}（{value}）。",
    "{label} ranks {place} (tied) of {count} by {column} ({value}).":
        "按{column}，{label}在{count}行中并列{place}（{value}）。",
    "the result is too large to compute": "结果太大，无法计算",
    "the result is too large to show": "结果太大，无法显示",
    "the table has no column of numbers": "表格里没有数字列",
    "there is no column called “{name}”": "没有名为“{name}”的列",
    "the column “{name}” does not hold numbers": "“{name}”列里不是数字",
    "there is no row called “{label}”": "没有名为“{label}”的行",
    "there are no {column} values in the table": "表格里没有{column}的值",
    "there are no {column} values in the chosen rows": "所选的行里没有{column}的值",
    "growth needs at least two rows with {column} values":
        "计算增长至少需要两行有{column}值的数据",
    "compound growth needs at least two rows with {column} values":
        "计算复合增长至少需要两行有{column}值的数据",
    "growth from “{label}” cannot be computed: its value is 0":
        "无法计算从“{label}”开始的增长：它的值是0",
    "compound growth needs positive values at the start and end":
        "计算复合增长需要起点和终点的值都为正数",
    "a change from row to row needs at least two rows of {column}":
        "计算逐行变化至少需要两行{column}数据",
    "no change can be computed: every previous {column} value is 0 or missing":
        "无法计算变化：每个前一行的{column}值都是0或缺失",
    "a share needs at least one row": "计算占比至少需要一行",
    "the total of {column} is 0, so there are no shares": "{column}的总计是0，无法计算占比",
    "a difference needs exactly two rows": "计算差值需要恰好两行",
    "a ratio needs exactly two rows": "计算比值需要恰好两行",
    "cannot divide by “{label}”: its {column} value is 0": "不能除以“{label}”：它的{column}值是0",
    "“{label}” has no {column} value": "“{label}”没有{column}的值",
    "a rank needs exactly one row": "计算排名需要恰好一行",
    # Telegram: access, limits, progress, stopping, voice.
    "Still working on it — the model is taking its time. /cancel stops it.":
        "还在处理中——模型有点慢。发送 /cancel 可以停止。",
    "Still reading your chart — the model is taking its time. /cancel stops it.":
        "还在读取你的图表——模型有点慢。发送 /cancel 可以停止。",
    "Sorry, something went wrong on my side. Your data is safe; please try again.":
        "抱歉，我这边出了点问题。你的数据没有丢失，请再试一次。",
    "⏹ Stop": "⏹ 停止",
    "I work with charts: send me a photo or screenshot of one, then tell me what to change. "
    "/help shows examples.":
        "我专门处理图表：发给我一张图表的照片或截图，再告诉我要改什么。/help 可以查看示例。",
    "I can read charts from photos, image files (PNG, JPEG, WebP, GIF, BMP) and PDFs, and "
    "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.":
        "我能从照片、图片文件（PNG、JPEG、WebP、GIF、BMP）和 PDF 中读取图表，"
        "也能读取 CSV 或 XLSX 文件中的表格。请发送图表的截图或照片。",
    "That voice message is too long for me; please keep it under two minutes.":
        "这条语音太长了，请控制在两分钟以内。",
    "Telegram wouldn't let me download that file (it may be too big). Send a smaller one.":
        "Telegram 不允许我下载这个文件（可能太大了）。请发一个小一点的。",
    "Sorry, this bot is private. Ask its owner for access.":
        "抱歉，这是一个私人机器人。请向它的主人申请使用权限。",
    "Today you have used {used} of {limit} model calls.":
        "今天你已使用 {used} 次模型调用，上限 {limit} 次。",
    "Today you have used {used} of unlimited model calls.":
        "今天你已使用 {used} 次模型调用，不限次数。",
    "Usage figures are unavailable right now; please try again soon.":
        "暂时无法获取用量数据，请稍后再试。",
    "You've sent a lot of messages; try again in {wait}.":
        "你发送的消息太多了，请 {wait}后再试。",
    "You've used today's {n} chart request; it resets in {wait}.":
        "你今天的 {n} 次图表请求已用完，{wait}后重置。",
    "You've used today's {n} chart requests; it resets in {wait}.":
        "你今天的 {n} 次图表请求已用完，{wait}后重置。",
    "Usage on {date} (UTC; the day resets in {wait})": "{date} 的用量（UTC；{wait}后重置）",
    "Model calls: {calls} by {people} ({limit}).": "模型调用：{calls} 次，共 {people}（{limit}）。",
    "Used up their budget: {people}. Hit the message limit: {times} today.":
        "用完额度：{people}。今天触及消息频率上限：{times}。",
    "limit {n} a day each": "每人每天上限 {n} 次",
    "no daily limit": "每天不限次数",
    "… and {count} more.": "……还有 {count} 人。",
    "{user}: {calls} today, {messages} this minute": "{user}：今天 {calls}，本分钟 {messages}",
    "{user} (admin): {calls} today, {messages} this minute":
        "{user}（管理员）：今天 {calls}，本分钟 {messages}",
    "{n} person": "{n} 人",
    "{n} people": "{n} 人",
    "{n} time": "{n} 次",
    "{n} times": "{n} 次",
    "{n} model call": "{n} 次模型调用",
    "{n} model calls": "{n} 次模型调用",
    "{n} message": "{n} 条消息",
    "{n} messages": "{n} 条消息",
    "{n} second": "{n} 秒",
    "{n} seconds": "{n} 秒",
    "{minutes} min": "{minutes} 分钟",
    "{hours} h": "{hours} 小时",
    "{hours} h {minutes} min": "{hours} 小时 {minutes} 分钟",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it.":
        "来不及停止了：我上一个回答已经在发送中。如果不想要，发送 /undo 可以撤销。",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it. The messages you sent after it were dropped.":
        "来不及停止了：我上一个回答已经在发送中。如果不想要，发送 /undo 可以撤销。"
        "你在它之后发送的消息已被丢弃。",
    "Stopped. Your table and chart are as they were.": "已停止。你的表格和图表保持原样。",
    "Nothing to stop: I'm not working on anything for this chat.":
        "没有可停止的：我目前没有在处理这个聊天的任何请求。",
    "I couldn't make a voice note just now; the answer is in the text above.":
        "暂时无法生成语音消息；回答见上方文字。",
    "There is nothing to read aloud in this answer.": "这个回答里没有可以朗读的内容。",
    # Photos, table files, model answers, charts, code mode.
    "That image file looks damaged or incomplete, so I can't read it. "
    "Try sending it again, or send a screenshot of the chart.":
        "这个图片文件似乎已损坏或不完整，我读不了。请重新发送，或者发一张图表的截图。",
    "an SVG drawing": "SVG 矢量图",
    "a PDF": "PDF 文件",
    "a HEIC photo": "HEIC 照片",
    "a HEIF photo": "HEIF 照片",
    "an AVIF image": "AVIF 图片",
    "a TIFF image": "TIFF 图片",
    "a ZIP archive": "ZIP 压缩包",
    "a video": "视频",
    "a text file": "文本文件",
    "that kind of file ({mime})": "这类文件（{mime}）",
    "that kind of file": "这类文件",
    "I can't read {kind}. Send it as a photo rather than as a file, "
    "or as a PNG, JPEG, WebP, GIF or BMP image.":
        "{kind}我读不了。请把它作为照片（而不是文件）发送，"
        "或者转成 PNG、JPEG、WebP、GIF 或 BMP 图片再发。",
    "I can't read {kind}. Send the chart as a PNG, JPEG, WebP, GIF or BMP image; "
    "a screenshot works.":
        "{kind}我读不了。请把图表以 PNG、JPEG、WebP、GIF 或 BMP 图片发送，截图也可以。",
    "That file is empty. Send the chart as a PNG, JPEG, WebP, GIF or BMP image.":
        "这个文件是空的。请把图表以 PNG、JPEG、WebP、GIF 或 BMP 图片发送。",
    "That file is {size}; I can read images up to {limit}. "
    "Send a screenshot or a smaller photo.":
        "这个文件有 {size}，我最多能读 {limit} 的图片。请发送截图或更小的照片。",
    "That image is {width}×{height} pixels ({megapixels} megapixels); "
    "I can read images up to {limit} megapixels. Send a screenshot or a smaller copy.":
        "这张图片有 {width}×{height} 像素（{megapixels} 百万像素），"
        "我最多能读 {limit} 百万像素的图片。请发送截图或缩小后的图片。",
    "That image has far too many pixels for me to read; I can read images up to "
    "{limit} megapixels. Send a screenshot or a smaller copy.":
        "这张图片的像素太多，我读不了；我最多能读 {limit} 百万像素的图片。"
        "请发送截图或缩小后的图片。",
    "That image is only {width}×{height} pixels, too small to read. "
    "Send a larger screenshot of the chart.":
        "这张图片只有 {width}×{height} 像素，太小了，读不清。请发一张更大的图表截图。",
    "That image has too much fine detail to send to the model, even shrunk. "
    "Send a screenshot cropped to just the chart.":
        "这张图片细节太多，即使缩小也无法发送给模型。请发一张只截取图表部分的截图。",
    "I can't read old Excel .xls files. Save it as .xlsx or .csv and send it again.":
        "我读不了旧版 Excel .xls 文件。请另存为 .xlsx 或 .csv 后重新发送。",
    "I can't read OpenDocument .ods files. Save it as .xlsx or .csv and send it again.":
        "我读不了 OpenDocument .ods 文件。请另存为 .xlsx 或 .csv 后重新发送。",
    "I can't read Apple Numbers files. Save it as .xlsx or .csv and send it again.":
        "我读不了 Apple Numbers 文件。请另存为 .xlsx 或 .csv 后重新发送。",
    "I couldn't read that file as a table. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "我没能把这个文件读成表格。请另存为 .csv（UTF-8）或 .xlsx 后重新发送。",
    "That doesn't look like a valid .xlsx file. "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "这看起来不是有效的 .xlsx 文件。请另存为 .csv（UTF-8）或 .xlsx 后重新发送。",
    "That file is empty. Send a CSV or XLSX file with a header row and some data.":
        "这个文件是空的。请发送一个带表头行和数据的 CSV 或 XLSX 文件。",
    "That file is {size} MB; I can read table files up to {limit} MB. "
    "Send a smaller CSV or XLSX file.":
        "这个文件有 {size} MB，我最多能读 {limit} MB 的表格文件。请发送更小的 CSV 或 XLSX 文件。",
    "That Excel file seems to be password-protected. Remove the password "
    "(or save it as .csv) and send it again.":
        "这个 Excel 文件似乎设置了密码保护。请去掉密码（或另存为 .csv）后重新发送。",
    "That file has a header row but no data rows. Add some data and send it again.":
        "这个文件只有表头行，没有数据行。请添加一些数据后重新发送。",
    "That table has more than {limit} rows; I can take at most {limit}. "
    "Trim it and send it again.":
        "这个表格超过了 {limit} 行，我最多只能处理 {limit} 行。请删减后重新发送。",
    "That table has {count} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "这个表格有 {count} 列，我最多只能处理 {limit} 列。请删掉一些列后重新发送。",
    "That table has more than {limit} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "这个表格超过了 {limit} 列，我最多只能处理 {limit} 列。请删掉一些列后重新发送。",
    "I couldn't use that table: {reason}. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "这个表格我用不了：{reason}。请另存为 .csv（UTF-8）或 .xlsx 后重新发送。",
    "That text file doesn't look like a table: I need columns separated by commas, "
    "semicolons, tabs or |. Send a .csv or .xlsx file.":
        "这个文本文件看起来不像表格：我需要用逗号、分号、制表符或 | 分隔的列。"
        "请发送 .csv 或 .xlsx 文件。",
    "That file doesn't look like a text table (CSV). "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "这个文件看起来不像文本表格（CSV）。请另存为 .csv（UTF-8）或 .xlsx 后重新发送。",
    "That .xlsx file unpacks to far more data than a table needs, so I won't open it. "
    "Send a smaller sheet or save it as .csv.":
        "这个 .xlsx 文件解压后的数据量远超一个表格所需，所以我不会打开它。"
        "请发送更小的工作表，或另存为 .csv。",
    "That workbook has no data in any sheet. Send a file with a header row and some data.":
        "这个工作簿的所有工作表里都没有数据。请发送一个带表头行和数据的文件。",
    "the table has no columns": "表格没有任何列",
    "the table has no rows": "表格没有任何数据行",
    "a table needs at least one column": "表格至少需要一列",
    "a table may have at most {limit} columns": "表格最多只能有 {limit} 列",
    "a table may have at most {limit} rows": "表格最多只能有 {limit} 行",
    "row {row} has {cells} cells but there are {width} columns":
        "第 {row} 行有 {cells} 个单元格，但表格有 {width} 列",
    "row {row} holds a number that is not finite": "第 {row} 行有一个无穷大或非数字的值",
    "row {row} holds a cell longer than {limit} chars": "第 {row} 行有单元格超过了 {limit} 个字符",
    "{count} row": "{count} 行",
    "{count} rows": "{count} 行",
    "{count} column": "{count} 列",
    "{count} columns": "{count} 列",
    "“{title}”: {rows} × {columns} ({names})": "“{title}”：{rows} × {columns}（{names}）",
    "{rows} × {columns} ({names})": "{rows} × {columns}（{names}）",
    "The answer is empty.": "回答是空的。",
    "some cells could not be read": "有些单元格读不出来",
    "The table in the answer could not be used: {problem}.": "回答中的表格无法使用：{problem}。",
    "No data table found in the answer.": "回答中没有找到数据表。",
    "column “{name}” does not hold numbers": "“{name}”这一列不是数字",
    "the table has no column of numbers to draw": "表格里没有可以画的数字列",
    "a pie chart cannot show negative numbers": "饼图不能显示负数",
    "a pie chart needs at least one positive number": "饼图至少需要一个正数",
    "a log scale needs every value above zero": "对数刻度要求所有数值都大于零",
    "the axis minimum must be below its maximum": "坐标轴的最小值必须小于最大值",
    "a bar-and-line chart needs two columns of numbers": "柱线组合图需要两列数字",
    "{bars} bars are too many to draw; show fewer rows or use a line chart":
        "{bars} 根柱子太多，画不出来；请少显示一些行，或改用折线图",
    "I can't listen to voice messages here; please type instead.":
        "这里我听不了语音消息，请改用文字输入。",
    "The model endpoint refused the request.": "模型服务拒绝了这个请求。",
    "The model endpoint refused our key; the operator needs to check it.":
        "模型服务拒绝了我们的密钥，需要机器人的管理员检查一下。",
    "The model endpoint does not know the model {model}.": "模型服务不认识模型 {model}。",
    "The model endpoint answered with an error ({status}).": "模型服务返回了错误（{status}）。",
    "The model endpoint could not be reached.": "无法连接到模型服务。",
    "The model took too long to answer. Please try again in a moment.":
        "模型回答超时了，请稍等片刻再试。",
    "The model service is busy (rate limited). Please try again in a minute.":
        "模型服务繁忙（请求次数受限），请过一分钟再试。",
    "I can't reach the model service right now. Please try again.":
        "我现在连不上模型服务，请再试一次。",
    "The model service is having trouble. Please try again shortly.":
        "模型服务出了点问题，请稍后再试。",
    "{tool} is not installed (Debian package util-linux)":
        "{tool} 没有安装（Debian 软件包 util-linux）",
    "code mode needs Linux namespaces": "代码模式需要 Linux 命名空间",
    "code mode needs root to create namespaces and switch to the sandbox user":
        "代码模式需要 root 权限，才能创建命名空间并切换到沙箱用户",
    "the Python executable is unknown": "找不到 Python 可执行文件",
    "cannot read this process's namespaces: {reason}": "无法读取本进程的命名空间：{reason}",
    "could not start the sandbox: {reason}": "无法启动沙箱：{reason}",
    "the sandbox could not start: {reason}": "沙箱无法启动：{reason}",
    "The sandbox did not start in time.": "沙箱没能及时启动。",
    "The chart code produced more than {size} MB of output.":
        "图表代码产生的输出超过了 {size} MB。",
    "The chart code took longer than {seconds} s.": "图表代码运行超过了 {seconds} 秒。",
    "The chart code failed: {error}": "图表代码出错了：{error}",
    "The chart code failed: unknown error": "图表代码出错了：未知错误",
    "The chart code was stopped before it finished "
    "(it hit a CPU, memory, file or process limit).":
        "图表代码还没运行完就被停止了（超出了 CPU、内存、文件或进程数的限制）。",
    "The chart code did not produce a PNG image.": "图表代码没有生成 PNG 图片。",
    "The chart code produced an image that is too large.": "图表代码生成的图片太大了。",
    "The chart code produced a damaged PNG image.": "图表代码生成的 PNG 图片已损坏。",
    "The chart code is longer than {size} KB.": "图表代码超过了 {size} KB。",
    # The command menu.
    "What I do, with an example": "我能做什么，附示例",
    "Show the data table": "显示数据表",
    "Send the table as a CSV file": "把表格作为 CSV 文件发送",
    "Send the chart as PNG and SVG files": "把图表作为 PNG 和 SVG 文件发送",
    "Undo the last change": "撤销上一次修改",
    "Redo what was undone": "重做已撤销的修改",
    "Start over": "重新开始",
    "Voice-note replies on or off": "开启或关闭语音回复",
    "Stop what I'm working on": "停止正在进行的工作",
    "I only act on new messages, so editing one changes nothing. Send the corrected request as "
    "a new message (/undo takes back what the first one did).":
        "我只处理新消息，编辑旧消息不会改变任何东西。"
        "请把改好的要求作为新消息发送（/undo 可以撤销第一条消息做的修改）。",
    "Send the table as an Excel workbook": "把表格作为 Excel 工作簿发送",
    "Your chart was changed elsewhere at the same moment. Please try again.":
        "你的图表在同一时刻被别处修改了，请再试一次。",
    "How many model calls you have used today":
        "今天已用了多少次模型调用",
    "Read the chart in an image":
        "读取图片中的图表",
    "A chart: a photo or screenshot":
        "一张图表：照片或截图",
    "Discord wouldn't let me download that file. Please send it again.":
        "Discord 不让我下载那个文件，请重新发送。",
    # The read check: values two reads of a chart disagree on.
    "{row} · {column}: {shown} or {other}?":
        "{row} · {column}：{shown} 还是 {other}？",
    "… and {count} more, marked {mark} in /table.":
        "……还有 {count} 个，在 /table 中用 {mark} 标出。",
    "I read the chart twice and got different values here; please check them against "
    "your picture (a button under the chart keeps the other value):\n"
    "{cells}":
        "我把图表读了两遍，这些地方两次读到的数值不同；请对照你的图片核对（图表下方的按钮可以改用另一个数值）：\n"
        "{cells}",
    "{mark} marks a value my two readings of the chart disagree on:\n"
    "{cells}":
        "{mark} 表示我两次读图得到的数值不一致：\n"
        "{cells}",
    "{row} · {column} → {value}":
        "{row} · {column} 改为 {value}",
    "Kept {value} for {row} · {column}.":
        "{row} · {column} 已改为 {value}。",
    "Its value axis is logarithmic, so I drew it that way too.":
        "它的数值轴是对数刻度，所以我也这样画了。",
    "One more value to check.":
        "还有 1 个数值需要核对。",
    "{count} more values to check.":
        "还有 {count} 个数值需要核对。",
    # Edits and charts that fit: what changed, in numbers.
    "{rows} rows are too many to draw as bars, so this is a line chart; say “bar chart of the "
    "top 20” to see bars.":
        "{rows} 行太多，无法画成柱状图，所以画成了折线图；说“前 20 项的柱状图”即可看到柱子。",
    "{first} This shows the first {shown} of {count} value columns.":
        "{first} 这里只显示 {count} 个数值列中的前 {shown} 个。",
    "I couldn't draw the chart as it was ({reason}), so I drew one that fits; tell me what "
    "you'd like instead.":
        "原来的图画不出来了（{reason}），所以我画了一个合适的；告诉我您想要什么样的。",
    "This shows the first {shown} of {count} value columns; tell me which ones you want to see.":
        "这里只显示 {count} 个数值列中的前 {shown} 个；告诉我您想看哪些。",
    "Added {count} row":
        "添加了 {count} 行",
    "Added {count} rows":
        "添加了 {count} 行",
    "Removed {count} row":
        "删除了 {count} 行",
    "Removed {count} rows":
        "删除了 {count} 行",
    "Removed {count} row where {condition}":
        "删除了 {count} 行（{condition}）",
    "Removed {count} rows where {condition}":
        "删除了 {count} 行（{condition}）",
    "Kept {kept} row where {condition}, removed {count}":
        "保留了 {kept} 行（{condition}），删除了 {count} 行",
    "Kept {kept} rows where {condition}, removed {count}":
        "保留了 {kept} 行（{condition}），删除了 {count} 行",
    "Changed {count} value in “{column}”":
        "“{column}”列中有 {count} 个值被修改",
    "Changed {count} values in “{column}”":
        "“{column}”列中有 {count} 个值被修改",
    "Filled {count} empty cell in “{column}”":
        "“{column}”列中填充了 {count} 个空单元格",
    "Filled {count} empty cells in “{column}”":
        "“{column}”列中填充了 {count} 个空单元格",
    "Removed column {names}":
        "删除了列 {names}",
    "Removed {count} columns: {names}":
        "删除了 {count} 列：{names}",
    "Set {row} · {column} to {value} (was {old})":
        "{row} · {column} 改为 {value}（原为 {old}）",
    "Renamed row “{old}” to “{new}”":
        "行“{old}”已改名为“{new}”",
    "Added column “{column}”":
        "添加了列“{column}”",
    "Renamed column “{old}” to “{new}”":
        "列“{old}”已改名为“{new}”",
    "Sorted rows by “{column}”, smallest first":
        "已按“{column}”从小到大排序",
    "Sorted rows by “{column}”, largest first":
        "已按“{column}”从大到小排序",
    "Swapped rows and columns":
        "已交换行和列",
    "I kept your table ({summary}), but it has no column of numbers to draw. Tell me what to "
    "change, or /csv to get it back.":
        "您的表格已保留（{summary}），但其中没有可以画图的数字列。"
        "告诉我要改什么，或用 /csv 取回表格。",
    "There is no column of numbers left to draw; /table shows your data.":
        "已经没有可以画图的数字列了；/table 可以查看您的数据。",
    "; ":
        "；",
    "{changes}.":
        "{changes}。",
    # A pie chart's slice of the smallest values.
    "Other": "其他",
    # The library: /charts, PDFs, questions across charts.
    "List your charts and pick one":
        "列出你的图表并选择一个",
    "Made from: {charts}.":
        "由以下图表组合：{charts}。",
    "Now working on: {summary}":
        "现在处理的是：{summary}",
    "I found nothing about that in your {count} charts. /charts lists them.":
        "在你的 {count} 个图表里没有找到相关内容。/charts 可以列出它们。",
    "None of your charts answers that, as far as I can tell. /charts lists them.":
        "据我所见，你的图表都回答不了这个问题。/charts 可以列出它们。",
    "{file}: {pages} pages read, {count} charts found and added to your library:":
        "{file}：已读 {pages} 页，找到 {count} 个图表，已加入你的图表库：",
    "The last one is the current chart. Tap a number to work on another, or ask about all of them.":
        "最后一个现在是当前图表。点一个编号即可处理另一个，也可以对所有图表提问。",
    "Pages too large to draw, skipped: {pages}.":
        "页面太大无法绘制，已跳过：{pages}。",
    "Pages I couldn't read: {pages}.":
        "无法读取的页面：{pages}。",
    "{reason} Pages not read: {pages}.":
        "{reason} 未读取的页面：{pages}。",
    "I couldn't put those charts together. Name the charts and the columns, e.g. “put the 2023 "
    "columns of the sales and the costs charts side by side”.":
        "我没能把这些图表合在一起。请说明是哪些图表和哪些列，"
        "例如“把销售图和成本图的 2023 列并排放”。",
    "That chart is no longer in your library.":
        "这个图表已经不在你的图表库里了。",
    "I looked at all {pages} pages of {file} and found no charts.":
        "我看过了 {file} 的全部 {pages} 页，没有找到图表。",
    "page {page}":
        "第 {page} 页",
    "untitled chart":
        "无标题图表",
    "an earlier chart":
        "之前的一个图表",
    "“{title}” ({source})":
        "“{title}”（{source}）",
    "{file}, page {page}":
        "{file}，第 {page} 页",
    "your photo (message {id})":
        "你的照片（消息 {id}）",
    "your photo":
        "你的照片",
    "combined from {entries}":
        "由 {entries} 组合而成",
    "Your charts ({count}); tap a number to work on that chart:":
        "你的图表（{count} 个）；点一个编号即可处理该图表：",
    "• {result} — from {citation}":
        "• {result} —— 来自 {citation}",
    "That PDF is too big for me: the limit is {mb} MB.":
        "这个 PDF 太大了：上限是 {mb} MB。",
    "That file is not a PDF I can read.":
        "这个文件不是我能读取的 PDF。",
    "That PDF is damaged or not a PDF I can read.":
        "这个 PDF 已损坏，或不是我能读取的 PDF。",
    "That PDF has no pages.":
        "这个 PDF 没有页面。",
    "That PDF has {pages} pages; I read at most {limit}. Send the pages with the charts as a "
    "shorter PDF.":
        "这个 PDF 有 {pages} 页；我最多读 {limit} 页。请把含图表的页面另存为较短的 PDF 发送。",
    "That PDF is encrypted or password-protected, so I can't read it. Send a copy without "
    "protection.":
        "这个 PDF 已加密或有密码保护，所以我无法读取。请发送一份没有保护的副本。",
    "Page {page} of that PDF is too large to draw.":
        "这个 PDF 的第 {page} 页太大，无法绘制。",
    "Reading {file}: page {page} of {pages}…":
        "正在读取 {file}：第 {page} 页，共 {pages} 页…",
    "If that link is a chart picture, I'll read it as soon as Discord shows its preview. You can "
    "also attach the image.":
        "如果那个链接是一张图表图片，Discord 一显示预览我就会读取它。你也可以直接附上图片。",
}
