"""Russian: the bot's own messages, keyed by the English text."""

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
        "Я превращаю фото диаграммы в данные, которые можно редактировать.\n"
        "\n"
        "1. Пришлите мне диаграмму: фото, скриншот или файл с картинкой.\n"
        "2. Я распознаю таблицу данных и нарисую диаграмму заново.\n"
        "3. Напишите своими словами, что изменить (можно прямо в подписи к фото):\n"
        "   • «сделай круговую диаграмму»\n"
        "   • «отсортируй по убыванию»\n"
        "   • «добавь 2024 = 50»\n"
        "   • «что росло быстрее всего?»\n"
        "\n"
        "Команды: /table — показать данные, /csv — прислать их файлом (/xlsx — книгой Excel), "
        "/export — прислать "
        "диаграмму файлами PNG и SVG, /undo и /redo — отменить и вернуть изменения, /reset — "
        "начать заново, /cancel — остановить текущую работу.",
    "Send me a chart photo first — then tell me what to change about it.":
        "Сначала пришлите мне фото диаграммы, а потом напишите, что в ней изменить.",
    "I can't reach my memory store right now, so I can't work on your chart. "
    "Nothing is lost — please try again in a minute.":
        "Сейчас нет связи с моим хранилищем, поэтому я не могу работать с вашей диаграммой. "
        "Ничего не потеряно — попробуйте ещё раз через минуту.",
    "Here is your data as a chart: {summary}. Tell me what to change.":
        "Вот диаграмма по вашим данным — {summary}. Напишите, что изменить.",
    "Here is your chart again: {summary}. Tell me what to change.":
        "Вот снова ваша диаграмма — {summary}. Напишите, что изменить.",
    "I couldn't make out any words in that voice message.":
        "Не удалось разобрать ни одного слова в этом голосовом сообщении.",
    "I couldn't find a chart with data in that picture. Send a clear, straight photo or "
    "screenshot of a bar, line or pie chart.":
        "Не удалось найти на этой картинке диаграмму с данными. Пришлите чёткое, ровное фото или "
        "скриншот диаграммы: столбчатой, линейной или круговой.",
    "I couldn't turn that into a change to your chart. Try saying it another way, "
    "e.g. “make it a line chart”.":
        "Не получилось понять, как по этой просьбе изменить диаграмму. Попробуйте сказать иначе, "
        "например: «сделай линейный график».",
    "Done.": "Готово.",
    "Nothing to undo.": "Нечего отменять.",
    "Undone.": "Изменение отменено.",
    "Nothing to redo.": "Нечего возвращать.",
    "Redone.": "Изменение возвращено.",
    "{done} There is no table now. {guide}": "{done} Таблицы больше нет. {guide}",
    "There is nothing to reset. {guide}": "Сбрасывать нечего. {guide}",
    "Cleared. Send a new chart photo (/undo brings the old one back).":
        "Всё очищено. Пришлите новое фото диаграммы (/undo вернёт прежнюю).",
    "Voice replies are on: answers also come as a voice note. /voice turns them off.":
        "Голосовые ответы включены: ответы будут приходить ещё и голосовым сообщением. /voice их "
        "выключит.",
    "Voice replies are on.": "Голосовые ответы включены.",
    "Voice replies are off.": "Голосовые ответы выключены.",
    "I can't draw that: {reason}.": "Не получается это нарисовать: {reason}.",
    "I can't draw that: {reason}. Your chart is unchanged.":
        "Не получается это нарисовать: {reason}. Диаграмма не изменилась.",
    "{reason} Your chart is unchanged.": "{reason} Диаграмма не изменилась.",
    "I couldn't work that out: {reason}.": "Не получилось это посчитать: {reason}.",
    "That button doesn't work any more.": "Эта кнопка больше не работает.",
    "Stopped.": "Остановлено.",
    "There is no chart now. {guide}": "Диаграммы сейчас нет. {guide}",
    "That chart is out of date; use the buttons under the newest one.":
        "Эта диаграмма устарела — пользуйтесь кнопками под самой новой.",
    "Voice replies on.": "Голосовые ответы включены.",
    "Voice replies off.": "Голосовые ответы выключены.",
    "Sorted": "Отсортировано",
    "Chart": "Диаграмма",
    "Bar chart": "Столбчатая диаграмма",
    "Horizontal bar chart": "Горизонтальная столбчатая диаграмма",
    "Stacked bar chart": "Столбчатая диаграмма с накоплением",
    "Line chart": "Линейный график",
    "Area chart": "Диаграмма с областями",
    "Stacked area chart": "Диаграмма с областями и накоплением",
    "Scatter chart": "Точечная диаграмма",
    "Pie chart": "Круговая диаграмма",
    "Donut chart": "Кольцевая диаграмма",
    "Bar and line chart": "Столбцы и линия",
    "📊 Bar": "📊 Столбцы",
    "📈 Line": "📈 График",
    "🥧 Pie": "🥧 Круговая",
    "⇣ Sort": "⇣ Сорт.",
    "⇡ Sort": "⇡ Сорт.",
    "✕ Unsort": "✕ Без сорт.",
    "↶ Undo": "↶ Отменить",
    "📋 Table": "📋 Таблица",
    "🔇 Voice off": "🔇 Без голоса",
    "🔊 Voice": "🔊 Голос",
    "The table is too big for a message: {summary}":
        "Таблица слишком большая для сообщения — {summary}",
    "The chart at print size (PNG) and as an SVG whose text you can edit. /csv sends the data.":
        "Диаграмма в размере для печати (PNG) и в формате SVG с редактируемым текстом. /csv "
        "пришлёт данные.",
    "{answer} (Rows used: {rows}.)": "{answer} (Использованы строки: {rows}.)",
    "all {count} rows": "все строки ({count})",
    ", ": ", ",
    "{items} and {last}": "{items} и {last}",
    "{n}st": "{n}-е",
    "{n}nd": "{n}-е",
    "{n}rd": "{n}-е",
    "{n}th": "{n}-е",
    "The total of {column} is {value}.": "Сумма по столбцу «{column}»: {value}.",
    "The average of {column} is {value}.": "Среднее по столбцу «{column}»: {value}.",
    "The median of {column} is {value}.": "Медиана по столбцу «{column}»: {value}.",
    "{labels} has the lowest {column}: {value}.":
        "{labels} — наименьшее значение в столбце «{column}»: {value}.",
    "{labels} have the lowest {column}: {value}.":
        "{labels} — наименьшее значение в столбце «{column}»: {value}.",
    "{labels} has the highest {column}: {value}.":
        "{labels} — наибольшее значение в столбце «{column}»: {value}.",
    "{labels} have the highest {column}: {value}.":
        "{labels} — наибольшее значение в столбце «{column}»: {value}.",
    "{column} has no values.": "В столбце «{column}» нет значений.",
    "{column} has {count} value.": "В столбце «{column}» значений: {count}.",
    "{column} has {count} values.": "В столбце «{column}» значений: {count}.",
    "{column} has no values in the chosen rows.":
        "В выбранных строках в столбце «{column}» нет значений.",
    "{column} has {count} value in the chosen rows.":
        "В выбранных строках в столбце «{column}» значений: {count}.",
    "{column} has {count} values in the chosen rows.":
        "В выбранных строках в столбце «{column}» значений: {count}.",
    "{column} ranges from {low} ({low_label}) to {high} ({high_label}), a spread of {spread}.":
        "Значения в столбце «{column}» — от {low} ({low_label}) до {high} ({high_label}), размах "
        "{spread}.",
    "From {first} to {last}, {column} changed {change} (from {first_value} to {last_value}).":
        "От «{first}» до «{last}» значение в столбце «{column}» изменилось на {change} (с "
        "{first_value} до {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "period (from {first_value} to {last_value}).":
        "От «{first}» до «{last}» значение в столбце «{column}» менялось в среднем на {change} за "
        "период с учётом сложного роста ({steps} период, с {first_value} до {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "periods (from {first_value} to {last_value}).":
        "От «{first}» до «{last}» значение в столбце «{column}» менялось в среднем на {change} за "
        "период с учётом сложного роста (периодов: {steps}; с {first_value} до {last_value}).",
    "{label} grew fastest: {change} (from {before} to {after}).":
        "Самый быстрый рост — {label}: {change} (с {before} до {after}).",
    "{label} had the largest change: {change} (from {before} to {after}).":
        "Самое большое изменение — {label}: {change} (с {before} до {after}).",
    "{label} fell the most: {change} (from {before} to {after}).":
        "Самое сильное падение — {label}: {change} (с {before} до {after}).",
    "{label} grew slowest: {change} (from {before} to {after}).":
        "Самый медленный рост — {label}: {change} (с {before} до {after}).",
    "{labels} is {share}% of the total {column} ({part} of {total}).":
        "{labels} — {share}% от суммы по столбцу «{column}» ({part} из {total}).",
    "{labels} together are {share}% of the total {column} ({part} of {total}).":
        "{labels} вместе — {share}% от суммы по столбцу «{column}» ({part} из {total}).",
    "In {column}, {a} and {b} are equal ({a_value} vs {b_value}).":
        "В столбце «{column}» значения «{a}» и «{b}» равны ({a_value} против {b_value}).",
    "{amount} percentage points": "{amount} п. п.",
    "In {column}, {a} is {amount} more than {b} ({a_value} vs {b_value}).":
        "В столбце «{column}»: «{a}» больше «{b}» на {amount} ({a_value} против {b_value}).",
    "In {column}, {a} is {amount} less than {b} ({a_value} vs {b_value}).":
        "В столбце «{column}»: «{a}» меньше «{b}» на {amount} ({a_value} против {b_value}).",
    "In {column}, {a} is {ratio} times {b} ({a_value} vs {b_value}).":
        "В столбце «{column}» отношение «{a}» к «{b}» равно {ratio} ({a_value} против {b_value}).",
    "{label} ranks {place} of {count} by {column} ({value}).":
        "«{label}» занимает {place} место из {count} по столбцу «{column}» ({value}).",
    "{label} ranks {place} (tied) of {count} by {column} ({value}).":
        "«{label}» делит {place} место из {count} по столбцу «{column}» ({value}).",
    "the result is too large to compute": "результат слишком велик, чтобы его вычислить",
    "the result is too large to show": "результат слишком велик, чтобы его показать",
    "the table has no column of numbers": "в таблице нет столбца с числами",
    "there is no column called “{name}”": "нет столбца с названием «{name}»",
    "the column “{name}” does not hold numbers": "в столбце «{name}» не числа",
    "there is no row called “{label}”": "нет строки с названием «{label}»",
    "there are no {column} values in the table": "в таблице нет значений в столбце «{column}»",
    "there are no {column} values in the chosen rows":
        "в выбранных строках нет значений в столбце «{column}»",
    "growth needs at least two rows with {column} values":
        "для расчёта роста нужны хотя бы две строки со значениями в столбце «{column}»",
    "compound growth needs at least two rows with {column} values":
        "для расчёта сложного роста нужны хотя бы две строки со значениями в столбце «{column}»",
    "growth from “{label}” cannot be computed: its value is 0":
        "рост от «{label}» посчитать нельзя: там значение 0",
    "compound growth needs positive values at the start and end":
        "для сложного роста значения в начале и в конце должны быть положительными",
    "a change from row to row needs at least two rows of {column}":
        "для изменения от строки к строке нужны хотя бы две строки в столбце «{column}»",
    "no change can be computed: every previous {column} value is 0 or missing":
        "посчитать изменение нельзя: все предыдущие значения в столбце «{column}» равны 0 или "
        "отсутствуют",
    "a share needs at least one row": "для расчёта доли нужна хотя бы одна строка",
    "the total of {column} is 0, so there are no shares":
        "сумма по столбцу «{column}» равна 0, поэтому доли не посчитать",
    "a difference needs exactly two rows": "для разницы нужны ровно две строки",
    "a ratio needs exactly two rows": "для отношения нужны ровно две строки",
    "cannot divide by “{label}”: its {column} value is 0":
        "нельзя делить на «{label}»: значение в столбце «{column}» равно 0",
    "“{label}” has no {column} value": "у «{label}» нет значения в столбце «{column}»",
    "a rank needs exactly one row": "для места в рейтинге нужна ровно одна строка",
    # Telegram: access, limits, progress, stopping, voice.
    "Still working on it — the model is taking its time. /cancel stops it.":
        "Всё ещё работаю — модель не торопится. /cancel остановит.",
    "Still reading your chart — the model is taking its time. /cancel stops it.":
        "Всё ещё читаю вашу диаграмму — модель не торопится. /cancel остановит.",
    "Sorry, something went wrong on my side. Your data is safe; please try again.":
        "Извините, у меня что-то пошло не так. Ваши данные в сохранности, попробуйте ещё раз.",
    "⏹ Stop": "⏹ Стоп",
    "I work with charts: send me a photo or screenshot of one, then tell me what to change. "
    "/help shows examples.":
        "Я работаю с диаграммами: пришлите фото или скриншот диаграммы, а потом напишите, что "
        "изменить. /help покажет примеры.",
    "I can read charts from photos, image files (PNG, JPEG, WebP, GIF, BMP) and PDFs, and "
    "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.":
        "Я умею читать диаграммы с фото, из файлов изображений (PNG, JPEG, WebP, GIF, BMP) и PDF, "
        "а таблицы — из файлов CSV и XLSX. Пришлите скриншот или фото диаграммы.",
    "That voice message is too long for me; please keep it under two minutes.":
        "Это голосовое сообщение слишком длинное — пожалуйста, уложитесь в две минуты.",
    "Telegram wouldn't let me download that file (it may be too big). Send a smaller one.":
        "Telegram не дал скачать этот файл (возможно, он слишком большой). Пришлите файл поменьше.",
    "Sorry, this bot is private. Ask its owner for access.":
        "Извините, это частный бот. Попросите доступ у его владельца.",
    "Today you have used {used} of {limit} model calls.":
        "Вызовов модели сегодня: {used} из {limit}.",
    "Today you have used {used} of unlimited model calls.":
        "Вызовов модели сегодня: {used} (без ограничений).",
    "Usage figures are unavailable right now; please try again soon.":
        "Статистика использования сейчас недоступна, попробуйте чуть позже.",
    "You've sent a lot of messages; try again in {wait}.":
        "Вы отправили слишком много сообщений, попробуйте снова через {wait}.",
    "You've used today's {n} chart request; it resets in {wait}.":
        "Вы израсходовали дневной лимит ({n} запрос на диаграмму); он обновится через {wait}.",
    "You've used today's {n} chart requests; it resets in {wait}.":
        "Вы израсходовали дневной лимит (запросов на диаграммы: {n}); он обновится через {wait}.",
    "Usage on {date} (UTC; the day resets in {wait})":
        "Статистика за {date} (UTC; новый день начнётся через {wait})",
    "Model calls: {calls} by {people} ({limit}).":
        "Вызовов модели: {calls}, от {people} ({limit}).",
    "Used up their budget: {people}. Hit the message limit: {times} today.":
        "Исчерпали лимит: {people}. Упёрлись в ограничение на сообщения: {times} за сегодня.",
    "limit {n} a day each": "лимит {n} в день на человека",
    "no daily limit": "без дневного лимита",
    "… and {count} more.": "… и ещё {count}.",
    "{user}: {calls} today, {messages} this minute":
        "{user}: сегодня {calls}, за эту минуту {messages}",
    "{user} (admin): {calls} today, {messages} this minute":
        "{user} (админ): сегодня {calls}, за эту минуту {messages}",
    "{n} person": "{n} чел.",
    "{n} people": "{n} чел.",
    "{n} time": "{n} раз",
    "{n} times": "{n} раз(а)",
    "{n} model call": "{n} вызов модели",
    "{n} model calls": "{n} выз. модели",
    "{n} message": "{n} сообщение",
    "{n} messages": "{n} сообщ.",
    "{n} second": "{n} сек.",
    "{n} seconds": "{n} сек.",
    "{minutes} min": "{minutes} мин",
    "{hours} h": "{hours} ч",
    "{hours} h {minutes} min": "{hours} ч {minutes} мин",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it.":
        "Остановить последний ответ уже поздно: он уже отправляется. Если он не нужен, /undo его "
        "отменит.",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it. The messages you sent after it were dropped.":
        "Остановить последний ответ уже поздно: он уже отправляется. Если он не нужен, /undo его "
        "отменит. Сообщения, которые вы прислали после него, отброшены.",
    "Stopped. Your table and chart are as they were.":
        "Остановлено. Таблица и диаграмма остались как были.",
    "Nothing to stop: I'm not working on anything for this chat.":
        "Нечего останавливать: сейчас я ничего не делаю для этого чата.",
    "I couldn't make a voice note just now; the answer is in the text above.":
        "Не получилось записать голосовое сообщение; ответ — в тексте выше.",
    "There is nothing to read aloud in this answer.": "В этом ответе нечего читать вслух.",
    # Photos, table files, model answers, charts, code mode.
    "That image file looks damaged or incomplete, so I can't read it. "
    "Try sending it again, or send a screenshot of the chart.":
        "Этот файл изображения, похоже, повреждён или загружен не полностью, поэтому я не могу "
        "его прочитать. Попробуйте отправить его ещё раз или пришлите скриншот диаграммы.",
    "an SVG drawing": "рисунки SVG",
    "a PDF": "файлы PDF",
    "a HEIC photo": "фото HEIC",
    "a HEIF photo": "фото HEIF",
    "an AVIF image": "изображения AVIF",
    "a TIFF image": "изображения TIFF",
    "a ZIP archive": "ZIP-архивы",
    "a video": "видео",
    "a text file": "текстовые файлы",
    "that kind of file ({mime})": "такие файлы ({mime})",
    "that kind of file": "такие файлы",
    "I can't read {kind}. Send it as a photo rather than as a file, "
    "or as a PNG, JPEG, WebP, GIF or BMP image.":
        "Я не умею читать {kind}. Пришлите снимок как фото, а не как файл, или картинкой в "
        "формате PNG, JPEG, WebP, GIF или BMP.",
    "I can't read {kind}. Send the chart as a PNG, JPEG, WebP, GIF or BMP image; "
    "a screenshot works.":
        "Я не умею читать {kind}. Пришлите диаграмму картинкой в формате PNG, JPEG, WebP, GIF или "
        "BMP — подойдёт и скриншот.",
    "That file is empty. Send the chart as a PNG, JPEG, WebP, GIF or BMP image.":
        "Этот файл пустой. Пришлите диаграмму картинкой в формате PNG, JPEG, WebP, GIF или BMP.",
    "That file is {size}; I can read images up to {limit}. "
    "Send a screenshot or a smaller photo.":
        "Этот файл весит {size}, а я читаю изображения размером до {limit}. Пришлите скриншот или "
        "фото поменьше.",
    "That image is {width}×{height} pixels ({megapixels} megapixels); "
    "I can read images up to {limit} megapixels. Send a screenshot or a smaller copy.":
        "Это изображение размером {width}×{height} пикселей ({megapixels} Мп), а я читаю "
        "изображения до {limit} Мп. Пришлите скриншот или уменьшенную копию.",
    "That image has far too many pixels for me to read; I can read images up to "
    "{limit} megapixels. Send a screenshot or a smaller copy.":
        "В этом изображении слишком много пикселей: я читаю изображения до {limit} Мп. Пришлите "
        "скриншот или уменьшенную копию.",
    "That image is only {width}×{height} pixels, too small to read. "
    "Send a larger screenshot of the chart.":
        "Это изображение всего {width}×{height} пикселей — слишком мелкое, чтобы его прочитать. "
        "Пришлите скриншот диаграммы покрупнее.",
    "That image has too much fine detail to send to the model, even shrunk. "
    "Send a screenshot cropped to just the chart.":
        "В этом изображении слишком много мелких деталей, чтобы отправить его модели, даже в "
        "уменьшенном виде. Пришлите скриншот, обрезанный по самой диаграмме.",
    "I can't read old Excel .xls files. Save it as .xlsx or .csv and send it again.":
        "Я не умею читать старые файлы Excel .xls. Сохраните файл как .xlsx или .csv и пришлите "
        "снова.",
    "I can't read OpenDocument .ods files. Save it as .xlsx or .csv and send it again.":
        "Я не умею читать файлы OpenDocument .ods. Сохраните файл как .xlsx или .csv и пришлите "
        "снова.",
    "I can't read Apple Numbers files. Save it as .xlsx or .csv and send it again.":
        "Я не умею читать файлы Apple Numbers. Сохраните файл как .xlsx или .csv и пришлите снова.",
    "I couldn't read that file as a table. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Не получилось прочитать этот файл как таблицу. Сохраните его как .csv (UTF-8) или .xlsx "
        "и пришлите снова.",
    "That doesn't look like a valid .xlsx file. "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Похоже, это некорректный файл .xlsx. Сохраните его как .csv (UTF-8) или .xlsx и пришлите "
        "снова.",
    "That file is empty. Send a CSV or XLSX file with a header row and some data.":
        "Этот файл пустой. Пришлите файл CSV или XLSX со строкой заголовков и данными.",
    "That file is {size} MB; I can read table files up to {limit} MB. "
    "Send a smaller CSV or XLSX file.":
        "Этот файл весит {size} MB, а я читаю таблицы размером до {limit} MB. Пришлите файл CSV "
        "или XLSX поменьше.",
    "That Excel file seems to be password-protected. Remove the password "
    "(or save it as .csv) and send it again.":
        "Похоже, этот файл Excel защищён паролем. Снимите пароль (или сохраните файл как .csv) и "
        "пришлите снова.",
    "That file has a header row but no data rows. Add some data and send it again.":
        "В этом файле есть строка заголовков, но нет строк с данными. Добавьте данные и пришлите "
        "снова.",
    "That table has more than {limit} rows; I can take at most {limit}. "
    "Trim it and send it again.":
        "В этой таблице больше {limit} строк, а я могу взять не больше {limit}. Сократите её и "
        "пришлите снова.",
    "That table has {count} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "В этой таблице столбцов: {count}, а я могу взять не больше {limit}. Удалите лишние "
        "столбцы и пришлите снова.",
    "That table has more than {limit} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "В этой таблице больше {limit} столбцов, а я могу взять не больше {limit}. Удалите лишние "
        "столбцы и пришлите снова.",
    "I couldn't use that table: {reason}. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Не получилось использовать эту таблицу: {reason}. Сохраните её как .csv (UTF-8) или "
        ".xlsx и пришлите снова.",
    "That text file doesn't look like a table: I need columns separated by commas, "
    "semicolons, tabs or |. Send a .csv or .xlsx file.":
        "Этот текстовый файл не похож на таблицу: нужны столбцы, разделённые запятыми, точками с "
        "запятой, табуляцией или |. Пришлите файл .csv или .xlsx.",
    "That file doesn't look like a text table (CSV). "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Этот файл не похож на текстовую таблицу (CSV). Сохраните его как .csv (UTF-8) или .xlsx "
        "и пришлите снова.",
    "That .xlsx file unpacks to far more data than a table needs, so I won't open it. "
    "Send a smaller sheet or save it as .csv.":
        "Этот файл .xlsx после распаковки занимает гораздо больше, чем нужно для таблицы, поэтому "
        "открывать его я не буду. Пришлите лист поменьше или сохраните его как .csv.",
    "That workbook has no data in any sheet. Send a file with a header row and some data.":
        "Ни на одном листе этой книги нет данных. Пришлите файл со строкой заголовков и данными.",
    "the table has no columns": "в таблице нет столбцов",
    "the table has no rows": "в таблице нет строк с данными",
    "a table needs at least one column": "в таблице должен быть хотя бы один столбец",
    "a table may have at most {limit} columns": "в таблице может быть не больше {limit} столбцов",
    "a table may have at most {limit} rows": "в таблице может быть не больше {limit} строк",
    "row {row} has {cells} cells but there are {width} columns":
        "в строке {row} ячеек: {cells}, а столбцов: {width}",
    "row {row} holds a number that is not finite":
        "в строке {row} есть бесконечное или нечисловое значение",
    "row {row} holds a cell longer than {limit} chars":
        "в строке {row} есть ячейка длиннее {limit} символов",
    "{count} row": "строк: {count}",
    "{count} rows": "строк: {count}",
    "{count} column": "столбцов: {count}",
    "{count} columns": "столбцов: {count}",
    "“{title}”: {rows} × {columns} ({names})": "«{title}», {rows}, {columns} ({names})",
    "{rows} × {columns} ({names})": "{rows}, {columns} ({names})",
    "The answer is empty.": "Ответ пустой.",
    "some cells could not be read": "некоторые ячейки не удалось прочитать",
    "The table in the answer could not be used: {problem}.":
        "Таблицу из ответа не удалось использовать: {problem}.",
    "No data table found in the answer.": "В ответе не нашлось таблицы с данными.",
    "column “{name}” does not hold numbers": "в столбце «{name}» не числа",
    "the table has no column of numbers to draw": "в таблице нет числовых столбцов для диаграммы",
    "a pie chart cannot show negative numbers":
        "круговая диаграмма не может показать отрицательные числа",
    "a pie chart needs at least one positive number":
        "для круговой диаграммы нужно хотя бы одно положительное число",
    "a log scale needs every value above zero":
        "для логарифмической шкалы все значения должны быть больше нуля",
    "the axis minimum must be below its maximum": "минимум оси должен быть меньше её максимума",
    "a bar-and-line chart needs two columns of numbers":
        "для диаграммы «столбцы и линия» нужны два числовых столбца",
    "{bars} bars are too many to draw; show fewer rows or use a line chart":
        "слишком много столбцов на диаграмме ({bars}); покажите меньше строк или выберите "
        "линейный график",
    "I can't listen to voice messages here; please type instead.":
        "Здесь я не могу слушать голосовые сообщения, напишите, пожалуйста, текстом.",
    "The model endpoint refused the request.": "Сервер модели отклонил запрос.",
    "The model endpoint refused our key; the operator needs to check it.":
        "Сервер модели отклонил наш ключ; администратору бота нужно его проверить.",
    "The model endpoint does not know the model {model}.": "Сервер модели не знает модель {model}.",
    "The model endpoint answered with an error ({status}).":
        "Сервер модели ответил ошибкой ({status}).",
    "The model endpoint could not be reached.": "Не удалось связаться с сервером модели.",
    "The model took too long to answer. Please try again in a moment.":
        "Модель слишком долго отвечала. Попробуйте ещё раз чуть позже.",
    "The model service is busy (rate limited). Please try again in a minute.":
        "Сервис модели перегружен (превышен лимит запросов). Попробуйте ещё раз через минуту.",
    "I can't reach the model service right now. Please try again.":
        "Сейчас не получается связаться с сервисом модели. Попробуйте ещё раз.",
    "The model service is having trouble. Please try again shortly.":
        "У сервиса модели неполадки. Попробуйте ещё раз чуть позже.",
    "{tool} is not installed (Debian package util-linux)":
        "{tool} не установлен (пакет Debian util-linux)",
    "code mode needs Linux namespaces": "для режима кода нужны пространства имён Linux",
    "code mode needs root to create namespaces and switch to the sandbox user":
        "для режима кода нужны права root, чтобы создавать пространства имён и переключаться на "
        "пользователя песочницы",
    "the Python executable is unknown": "неизвестен исполняемый файл Python",
    "cannot read this process's namespaces: {reason}":
        "не удалось прочитать пространства имён этого процесса: {reason}",
    "could not start the sandbox: {reason}": "не удалось запустить песочницу: {reason}",
    "the sandbox could not start: {reason}": "песочница не смогла запуститься: {reason}",
    "The sandbox did not start in time.": "Песочница не запустилась вовремя.",
    "The chart code produced more than {size} MB of output.":
        "Код диаграммы вывел больше {size} MB данных.",
    "The chart code took longer than {seconds} s.": "Код диаграммы выполнялся дольше {seconds} с.",
    "The chart code failed: {error}": "Код диаграммы завершился с ошибкой: {error}",
    "The chart code failed: unknown error": "Код диаграммы завершился с неизвестной ошибкой",
    "The chart code was stopped before it finished "
    "(it hit a CPU, memory, file or process limit).":
        "Код диаграммы остановлен, не успев завершиться (превышен лимит CPU, памяти, файлов или "
        "процессов).",
    "The chart code did not produce a PNG image.": "Код диаграммы не создал изображение PNG.",
    "The chart code produced an image that is too large.":
        "Код диаграммы создал слишком большое изображение.",
    "The chart code produced a damaged PNG image.":
        "Код диаграммы создал повреждённое изображение PNG.",
    "The chart code is longer than {size} KB.": "Код диаграммы длиннее {size} KB.",
    # The command menu.
    "What I do, with an example": "Что я умею — с примером",
    "Show the data table": "Показать таблицу данных",
    "Send the table as a CSV file": "Прислать таблицу файлом CSV",
    "Send the chart as PNG and SVG files": "Прислать диаграмму файлами PNG и SVG",
    "Undo the last change": "Отменить последнее изменение",
    "Redo what was undone": "Вернуть отменённое",
    "Start over": "Начать заново",
    "Voice-note replies on or off": "Включить или выключить голосовые ответы",
    "Stop what I'm working on": "Остановить текущую работу",
    "I only act on new messages, so editing one changes nothing. Send the corrected request as "
    "a new message (/undo takes back what the first one did).":
        "Я реагирую только на новые сообщения, поэтому правка старого ничего не изменит. Пришлите "
        "исправленную просьбу новым сообщением (/undo отменит то, что сделало первое).",
    "Send the table as an Excel workbook": "Прислать таблицу книгой Excel",
    "Your chart was changed elsewhere at the same moment. Please try again.":
        "Ваш график в этот же момент изменили в другом месте. Пожалуйста, попробуйте ещё раз.",
    "How many model calls you have used today":
        "Сколько обращений к модели вы использовали сегодня",
    "Read the chart in an image":
        "Прочитать график на изображении",
    "A chart: a photo or screenshot":
        "График: фото или снимок экрана",
    "Discord wouldn't let me download that file. Please send it again.":
        "Discord не дал мне скачать этот файл. Пожалуйста, отправьте его ещё раз.",
    # The read check: values two reads of a chart disagree on.
    "{row} · {column}: {shown} or {other}?":
        "{row} · {column}: {shown} или {other}?",
    "… and {count} more, marked {mark} in /table.":
        "… и ещё {count}, они отмечены знаком {mark} в /table.",
    "I read the chart twice and got different values here; please check them against "
    "your picture (a button under the chart keeps the other value):\n"
    "{cells}":
        "Я прочитал диаграмму дважды, и здесь значения разошлись; сверьте их, "
        "пожалуйста, с вашей картинкой (кнопка под диаграммой оставит другое значение):\n"
        "{cells}",
    "{mark} marks a value my two readings of the chart disagree on:\n"
    "{cells}":
        "{mark} отмечает значение, в котором два моих прочтения диаграммы расходятся:\n"
        "{cells}",
    "{row} · {column} → {value}":
        "{row} · {column} → {value}",
    "Kept {value} for {row} · {column}.":
        "Для {row} · {column} оставлено {value}.",
    "Its value axis is logarithmic, so I drew it that way too.":
        "Ось значений у неё логарифмическая, и я нарисовал её так же.",
    "One more value to check.":
        "Осталось проверить ещё одно значение.",
    "{count} more values to check.":
        "Осталось проверить значений: {count}.",
    # Edits and charts that fit: what changed, in numbers.
    "{rows} rows are too many to draw as bars, so this is a line chart; say “bar chart of the "
    "top 20” to see bars.":
        "Строк слишком много для столбиков ({rows}), поэтому это линейный график; скажите "
        "«столбчатая диаграмма первых 20», чтобы увидеть столбики.",
    "{first} This shows the first {shown} of {count} value columns.":
        "{first} Показаны первые {shown} из {count} столбцов со значениями.",
    "I couldn't draw the chart as it was ({reason}), so I drew one that fits; tell me what "
    "you'd like instead.":
        "Не получилось нарисовать диаграмму как раньше ({reason}), поэтому я нарисовал ту, что "
        "подходит; скажите, какую вы хотите.",
    "This shows the first {shown} of {count} value columns; tell me which ones you want to see.":
        "Показаны первые {shown} из {count} столбцов со значениями; скажите, какие вы хотите "
        "видеть.",
    "Added {count} row":
        "Добавлено строк: {count}",
    "Added {count} rows":
        "Добавлено строк: {count}",
    "Removed {count} row":
        "Удалено строк: {count}",
    "Removed {count} rows":
        "Удалено строк: {count}",
    "Removed {count} row where {condition}":
        "Удалено строк, где {condition}: {count}",
    "Removed {count} rows where {condition}":
        "Удалено строк, где {condition}: {count}",
    "Kept {kept} row where {condition}, removed {count}":
        "Оставлены строки, где {condition} (осталось: {kept}, удалено: {count})",
    "Kept {kept} rows where {condition}, removed {count}":
        "Оставлены строки, где {condition} (осталось: {kept}, удалено: {count})",
    "Changed {count} value in “{column}”":
        "Изменено значений в столбце «{column}»: {count}",
    "Changed {count} values in “{column}”":
        "Изменено значений в столбце «{column}»: {count}",
    "Filled {count} empty cell in “{column}”":
        "Заполнено пустых ячеек в столбце «{column}»: {count}",
    "Filled {count} empty cells in “{column}”":
        "Заполнено пустых ячеек в столбце «{column}»: {count}",
    "Removed column {names}":
        "Удалён столбец {names}",
    "Removed {count} columns: {names}":
        "Удалено столбцов: {count} ({names})",
    "Set {row} · {column} to {value} (was {old})":
        "{row} · {column}: теперь {value} (было {old})",
    "Renamed row “{old}” to “{new}”":
        "Строка «{old}» переименована в «{new}»",
    "Added column “{column}”":
        "Добавлен столбец «{column}»",
    "Renamed column “{old}” to “{new}”":
        "Столбец «{old}» переименован в «{new}»",
    "Sorted rows by “{column}”, smallest first":
        "Строки отсортированы по столбцу «{column}», от меньшего к большему",
    "Sorted rows by “{column}”, largest first":
        "Строки отсортированы по столбцу «{column}», от большего к меньшему",
    "Swapped rows and columns":
        "Строки и столбцы поменялись местами",
    "I kept your table ({summary}), but it has no column of numbers to draw. Tell me what to "
    "change, or /csv to get it back.":
        "Я сохранил вашу таблицу ({summary}), но в ней нет столбца с числами, чтобы нарисовать "
        "диаграмму. Скажите, что изменить, или получите её обратно через /csv.",
    "There is no column of numbers left to draw; /table shows your data.":
        "Не осталось столбца с числами, чтобы рисовать; /table покажет ваши данные.",
    "; ":
        "; ",
    "{changes}.":
        "{changes}.",
    # A pie chart's slice of the smallest values.
    "Other": "Прочее",
    # The library: /charts, PDFs, questions across charts.
    "List your charts and pick one":
        "Показать ваши графики и выбрать один",
    "Made from: {charts}.":
        "Составлено из: {charts}.",
    "Now working on: {summary}":
        "Сейчас в работе: {summary}",
    "I found nothing about that in your {count} charts. /charts lists them.":
        "Я ничего об этом не нашёл в ваших графиках ({count}). /charts покажет их список.",
    "None of your charts answers that, as far as I can tell. /charts lists them.":
        "Насколько я вижу, ни один из ваших графиков на это не отвечает. /charts покажет их "
        "список.",
    "{file}: {pages} pages read, {count} charts found and added to your library:":
        "{file}: прочитано страниц — {pages}, найдено графиков — {count}, они добавлены в вашу "
        "библиотеку:",
    "The last one is the current chart. Tap a number to work on another, or ask about all of them.":
        "Последний теперь текущий. Нажмите номер, чтобы работать с другим, или спросите обо всех "
        "сразу.",
    "Pages too large to draw, skipped: {pages}.":
        "Слишком большие страницы, пропущены: {pages}.",
    "Pages I couldn't read: {pages}.":
        "Страницы, которые я не смог прочитать: {pages}.",
    "{reason} Pages not read: {pages}.":
        "{reason} Непрочитанные страницы: {pages}.",
    "I couldn't put those charts together. Name the charts and the columns, e.g. “put the 2023 "
    "columns of the sales and the costs charts side by side”.":
        "Не получилось объединить эти графики. Назовите графики и столбцы, например: «поставь "
        "рядом столбцы 2023 года из графиков продаж и затрат».",
    "That chart is no longer in your library.":
        "Этого графика больше нет в вашей библиотеке.",
    "I looked at all {pages} pages of {file} and found no charts.":
        "Я просмотрел все страницы {file} ({pages}) и не нашёл графиков.",
    "page {page}":
        "стр. {page}",
    "untitled chart":
        "график без названия",
    "an earlier chart":
        "более ранний график",
    "“{title}” ({source})":
        "«{title}» ({source})",
    "{file}, page {page}":
        "{file}, стр. {page}",
    "your photo (message {id})":
        "ваше фото (сообщение {id})",
    "your photo":
        "ваше фото",
    "combined from {entries}":
        "объединён из {entries}",
    "Your charts ({count}); tap a number to work on that chart:":
        "Ваши графики ({count}); нажмите номер, чтобы работать с этим графиком:",
    "• {result} — from {citation}":
        "• {result} — из {citation}",
    "That PDF is too big for me: the limit is {mb} MB.":
        "Этот PDF слишком большой: предел — {mb} МБ.",
    "That file is not a PDF I can read.":
        "Этот файл не PDF, который я могу прочитать.",
    "That PDF is damaged or not a PDF I can read.":
        "Этот PDF повреждён или это не PDF, который я могу прочитать.",
    "That PDF has no pages.":
        "В этом PDF нет страниц.",
    "That PDF has {pages} pages; I read at most {limit}. Send the pages with the charts as a "
    "shorter PDF.":
        "В этом PDF {pages} стр.; я читаю не больше {limit}. Пришлите страницы с графиками "
        "отдельным, более коротким PDF.",
    "That PDF is encrypted or password-protected, so I can't read it. Send a copy without "
    "protection.":
        "Этот PDF зашифрован или защищён паролем, поэтому я не могу его прочитать. Пришлите копию "
        "без защиты.",
    "Page {page} of that PDF is too large to draw.":
        "Страница {page} этого PDF слишком большая, чтобы её отрисовать.",
    "Reading {file}: page {page} of {pages}…":
        "Читаю {file}: страница {page} из {pages}…",
    "If that link is a chart picture, I'll read it as soon as Discord shows its preview. You can "
    "also attach the image.":
        "Если по этой ссылке картинка с графиком, я прочитаю её, как только Discord покажет "
        "предпросмотр. Можно также прикрепить изображение.",
}
