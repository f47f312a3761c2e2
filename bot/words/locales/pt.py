"""Brazilian Portuguese: the bot's own messages, keyed by the English text."""

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
    "/export sends the chart as PNG and "
    "SVG files, /undo and /redo step through your changes, /reset starts over, /cancel stops what "
    "I'm working on.":
        "Eu transformo a foto de um gráfico em dados que você pode editar.\n"
        "\n"
        "1. Me mande um gráfico: uma foto, uma captura de tela ou um arquivo de imagem.\n"
        "2. Eu leio a tabela de dados e desenho o gráfico de novo.\n"
        "3. Diga o que mudar, com suas próprias palavras (ou na legenda da foto):\n"
        "   • “muda para gráfico de pizza”\n"
        "   • “ordena do maior para o menor”\n"
        "   • “adiciona 2024 = 50”\n"
        "   • “o que cresceu mais rápido?”\n"
        "\n"
        "Comandos: /table mostra os dados, /csv envia os dados como arquivo (/xlsx como planilha "
        "do Excel), /export envia o "
        "gráfico como arquivos PNG e SVG, /undo e /redo desfazem e refazem suas alterações, /reset "
        "começa do zero, /cancel interrompe o que estou fazendo.",
    "Send me a chart photo first — then tell me what to change about it.":
        "Primeiro me mande a foto de um gráfico — depois me diga o que mudar nele.",
    "I can't reach my memory store right now, so I can't work on your chart. Nothing is lost — "
    "please try again in a minute.":
        "Não consigo acessar meu armazenamento agora, então não posso trabalhar no seu gráfico. "
        "Nada foi perdido — tente de novo daqui a um minuto.",
    "Here is your data as a chart: {summary}. Tell me what to change.":
        "Aqui estão seus dados em forma de gráfico: {summary}. Diga o que mudar.",
    "Here is your chart again: {summary}. Tell me what to change.":
        "Aqui está seu gráfico de novo: {summary}. Diga o que mudar.",
    "I couldn't make out any words in that voice message.":
        "Não consegui entender nenhuma palavra nessa mensagem de voz.",
    "I couldn't find a chart with data in that picture. Send a clear, straight photo or screenshot "
    "of a bar, line or pie chart.":
        "Não encontrei um gráfico com dados nessa imagem. Mande uma foto ou captura de tela nítida "
        "e reta de um gráfico de barras, de linhas ou de pizza.",
    "I couldn't turn that into a change to your chart. Try saying it another way, e.g. “make it a "
    "line chart”.":
        "Não consegui transformar isso em uma alteração no seu gráfico. Tente dizer de outro "
        "jeito, por exemplo “muda para gráfico de linhas”.",
    "Done.": "Pronto.",
    "Nothing to undo.": "Não há nada para desfazer.",
    "Undone.": "Desfeito.",
    "Nothing to redo.": "Não há nada para refazer.",
    "Redone.": "Refeito.",
    "{done} There is no table now. {guide}": "{done} Agora não há nenhuma tabela. {guide}",
    "There is nothing to reset. {guide}": "Não há nada para reiniciar. {guide}",
    "Cleared. Send a new chart photo (/undo brings the old one back).":
        "Tudo limpo. Mande a foto de um novo gráfico (/undo traz o anterior de volta).",
    "Voice replies are on: answers also come as a voice note. /voice turns them off.":
        "Respostas por voz ativadas: as respostas também chegam como mensagem de voz. /voice "
        "desativa.",
    "Voice replies are on.": "Respostas por voz ativadas.",
    "Voice replies are off.": "Respostas por voz desativadas.",
    "I can't draw that: {reason}.": "Não consigo desenhar isso: {reason}.",
    "I can't draw that: {reason}. Your chart is unchanged.":
        "Não consigo desenhar isso: {reason}. Seu gráfico não foi alterado.",
    "{reason} Your chart is unchanged.": "{reason} Seu gráfico não foi alterado.",
    "I couldn't work that out: {reason}.": "Não consegui calcular isso: {reason}.",
    "That button doesn't work any more.": "Esse botão não funciona mais.",
    "Stopped.": "Interrompido.",
    "There is no chart now. {guide}": "Agora não há nenhum gráfico. {guide}",
    "That chart is out of date; use the buttons under the newest one.":
        "Esse gráfico está desatualizado; use os botões abaixo do mais recente.",
    "Voice replies on.": "Respostas por voz ativadas.",
    "Voice replies off.": "Respostas por voz desativadas.",
    "Sorted": "Ordenado",
    "Chart": "Gráfico",
    "Bar chart": "Gráfico de barras",
    "Horizontal bar chart": "Gráfico de barras horizontais",
    "Stacked bar chart": "Gráfico de barras empilhadas",
    "Line chart": "Gráfico de linhas",
    "Area chart": "Gráfico de área",
    "Stacked area chart": "Gráfico de áreas empilhadas",
    "Scatter chart": "Gráfico de dispersão",
    "Pie chart": "Gráfico de pizza",
    "Donut chart": "Gráfico de rosca",
    "Bar and line chart": "Gráfico de barras e linha",
    "📊 Bar": "📊 Barras",
    "📈 Line": "📈 Linhas",
    "🥧 Pie": "🥧 Pizza",
    "⇣ Sort": "⇣ Ordenar",
    "⇡ Sort": "⇡ Ordenar",
    "✕ Unsort": "✕ Sem ordem",
    "↶ Undo": "↶ Desfazer",
    "📋 Table": "📋 Tabela",
    "🔇 Voice off": "🔇 Sem voz",
    "🔊 Voice": "🔊 Voz",
    "The table is too big for a message: {summary}":
        "A tabela é grande demais para uma mensagem: {summary}",
    "The chart at print size (PNG) and as an SVG whose text you can edit. /csv sends the data.":
        "O gráfico em tamanho de impressão (PNG) e como SVG com texto editável. /csv envia os "
        "dados.",
    "{answer} (Rows used: {rows}.)": "{answer} (Linhas usadas: {rows}.)",
    "all {count} rows": "todas as {count} linhas",
    ", ": ", ",
    "{items} and {last}": "{items} e {last}",
    "{n}st": "{n}º",
    "{n}nd": "{n}º",
    "{n}rd": "{n}º",
    "{n}th": "{n}º",
    "The total of {column} is {value}.": "O total de {column} é {value}.",
    "The average of {column} is {value}.": "A média de {column} é {value}.",
    "The median of {column} is {value}.": "A mediana de {column} é {value}.",
    "{labels} has the lowest {column}: {value}.":
        "{labels} tem o menor valor de {column}: {value}.",
    "{labels} have the lowest {column}: {value}.":
        "{labels} têm o menor valor de {column}: {value}.",
    "{labels} has the highest {column}: {value}.":
        "{labels} tem o maior valor de {column}: {value}.",
    "{labels} have the highest {column}: {value}.":
        "{labels} têm o maior valor de {column}: {value}.",
    "{column} has no values.": "{column} não tem valores.",
    "{column} has {count} value.": "{column} tem {count} valor.",
    "{column} has {count} values.": "{column} tem {count} valores.",
    "{column} has no values in the chosen rows.": "{column} não tem valores nas linhas escolhidas.",
    "{column} has {count} value in the chosen rows.":
        "{column} tem {count} valor nas linhas escolhidas.",
    "{column} has {count} values in the chosen rows.":
        "{column} tem {count} valores nas linhas escolhidas.",
    "{column} ranges from {low} ({low_label}) to {high} ({high_label}), a spread of {spread}.":
        "{column} vai de {low} ({low_label}) a {high} ({high_label}), uma amplitude de {spread}.",
    "From {first} to {last}, {column} changed {change} (from {first_value} to {last_value}).":
        "De {first} a {last}, {column} variou {change} (de {first_value} para {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} period "
    "(from {first_value} to {last_value}).":
        "De {first} a {last}, {column} variou {change} por período, em taxa composta ao longo de "
        "{steps} período (de {first_value} para {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} periods "
    "(from {first_value} to {last_value}).":
        "De {first} a {last}, {column} variou {change} por período, em taxa composta ao longo de "
        "{steps} períodos (de {first_value} para {last_value}).",
    "{label} grew fastest: {change} (from {before} to {after}).":
        "{label} foi o que mais cresceu: {change} (de {before} para {after}).",
    "{label} had the largest change: {change} (from {before} to {after}).":
        "{label} teve a maior variação: {change} (de {before} para {after}).",
    "{label} fell the most: {change} (from {before} to {after}).":
        "{label} foi o que mais caiu: {change} (de {before} para {after}).",
    "{label} grew slowest: {change} (from {before} to {after}).":
        "{label} foi o que menos cresceu: {change} (de {before} para {after}).",
    "{labels} is {share}% of the total {column} ({part} of {total}).":
        "{labels} representa {share}% do total de {column} ({part} de {total}).",
    "{labels} together are {share}% of the total {column} ({part} of {total}).":
        "{labels} juntos representam {share}% do total de {column} ({part} de {total}).",
    "In {column}, {a} and {b} are equal ({a_value} vs {b_value}).":
        "Em {column}, {a} e {b} são iguais ({a_value} vs. {b_value}).",
    "{amount} percentage points": "{amount} pontos percentuais",
    "In {column}, {a} is {amount} more than {b} ({a_value} vs {b_value}).":
        "Em {column}, {a} está {amount} acima de {b} ({a_value} vs. {b_value}).",
    "In {column}, {a} is {amount} less than {b} ({a_value} vs {b_value}).":
        "Em {column}, {a} está {amount} abaixo de {b} ({a_value} vs. {b_value}).",
    "In {column}, {a} is {ratio} times {b} ({a_value} vs {b_value}).":
        "Em {column}, {a} é {ratio} vezes {b} ({a_value} vs. {b_value}).",
    "{label} ranks {place} of {count} by {column} ({value}).":
        "Em {column}, {label} fica em {place} lugar entre {count} ({value}).",
    "{label} ranks {place} (tied) of {count} by {column} ({value}).":
        "Em {column}, {label} fica em {place} lugar (com empate) entre {count} ({value}).",
    "the result is too large to compute": "o resultado é grande demais para calcular",
    "the result is too large to show": "o resultado é grande demais para mostrar",
    "the table has no column of numbers": "a tabela não tem nenhuma coluna numérica",
    "there is no column called “{name}”": "não existe nenhuma coluna chamada “{name}”",
    "the column “{name}” does not hold numbers": "a coluna “{name}” não contém números",
    "there is no row called “{label}”": "não existe nenhuma linha chamada “{label}”",
    "there are no {column} values in the table": "não há valores de {column} na tabela",
    "there are no {column} values in the chosen rows":
        "não há valores de {column} nas linhas escolhidas",
    "growth needs at least two rows with {column} values":
        "o cálculo do crescimento precisa de pelo menos duas linhas com valores de {column}",
    "compound growth needs at least two rows with {column} values":
        "o crescimento composto precisa de pelo menos duas linhas com valores de {column}",
    "growth from “{label}” cannot be computed: its value is 0":
        "não dá para calcular o crescimento a partir de “{label}”: o valor é 0",
    "compound growth needs positive values at the start and end":
        "o crescimento composto precisa de valores positivos no início e no fim",
    "a change from row to row needs at least two rows of {column}":
        "a variação de uma linha para outra precisa de pelo menos duas linhas de {column}",
    "no change can be computed: every previous {column} value is 0 or missing":
        "não dá para calcular nenhuma variação: todos os valores anteriores de {column} são 0 ou "
        "estão faltando",
    "a share needs at least one row": "o cálculo da participação precisa de pelo menos uma linha",
    "the total of {column} is 0, so there are no shares":
        "o total de {column} é 0, então não há participações",
    "a difference needs exactly two rows": "a diferença precisa de exatamente duas linhas",
    "a ratio needs exactly two rows": "a razão precisa de exatamente duas linhas",
    "cannot divide by “{label}”: its {column} value is 0":
        "não dá para dividir por “{label}”: o valor de {column} é 0",
    "“{label}” has no {column} value": "“{label}” não tem valor de {column}",
    "a rank needs exactly one row": "a classificação precisa de exatamente uma linha",
    # Telegram: access, limits, progress, stopping, voice.
    "Still working on it — the model is taking its time. /cancel stops it.":
        "Ainda estou trabalhando nisso — o modelo está demorando. /cancel interrompe.",
    "Still reading your chart — the model is taking its time. /cancel stops it.":
        "Ainda estou lendo seu gráfico — o modelo está demorando. /cancel interrompe.",
    "Sorry, something went wrong on my side. Your data is safe; please try again.":
        "Desculpe, algo deu errado do meu lado. Seus dados estão seguros; tente de novo.",
    "⏹ Stop": "⏹ Parar",
    "I work with charts: send me a photo or screenshot of one, then tell me what to change. /help "
    "shows examples.":
        "Eu trabalho com gráficos: me mande uma foto ou captura de tela de um e depois diga o que "
        "mudar. /help mostra exemplos.",
    "I can read charts from photos, image files (PNG, JPEG, WebP, GIF, BMP) and PDFs, and "
    "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.":
        "Consigo ler gráficos de fotos, arquivos de imagem (PNG, JPEG, WebP, GIF, BMP) e PDFs, e "
        "tabelas de arquivos CSV ou XLSX. Mande uma captura de tela ou uma foto do gráfico.",
    "That voice message is too long for me; please keep it under two minutes.":
        "Essa mensagem de voz é longa demais para mim; mande uma com menos de dois minutos.",
    "Telegram wouldn't let me download that file (it may be too big). Send a smaller one.":
        "O Telegram não me deixou baixar esse arquivo (talvez seja grande demais). Mande um menor.",
    "Sorry, this bot is private. Ask its owner for access.":
        "Desculpe, este bot é privado. Peça acesso ao dono dele.",
    "Today you have used {used} of {limit} model calls.":
        "Hoje você usou {used} de {limit} chamadas ao modelo.",
    "Today you have used {used} of unlimited model calls.":
        "Chamadas ao modelo que você usou hoje: {used} (sem limite).",
    "Usage figures are unavailable right now; please try again soon.":
        "Os dados de uso estão indisponíveis agora; tente de novo daqui a pouco.",
    "You've sent a lot of messages; try again in {wait}.":
        "Você mandou muitas mensagens; tente de novo daqui a {wait}.",
    "You've used today's {n} chart request; it resets in {wait}.":
        "Você já usou seu limite diário de {n} pedido de gráfico; ele se renova daqui a {wait}.",
    "You've used today's {n} chart requests; it resets in {wait}.":
        "Você já usou seu limite diário de {n} pedidos de gráfico; ele se renova daqui a {wait}.",
    "Usage on {date} (UTC; the day resets in {wait})":
        "Uso em {date} (UTC; o dia reinicia daqui a {wait})",
    "Model calls: {calls} by {people} ({limit}).":
        "Chamadas ao modelo: {calls}, feitas por {people} ({limit}).",
    "Used up their budget: {people}. Hit the message limit: {times} today.":
        "Cota esgotada: {people}. Limite de mensagens atingido: {times} hoje.",
    "limit {n} a day each": "limite de {n} por dia para cada pessoa",
    "no daily limit": "sem limite diário",
    "… and {count} more.": "… e mais {count}.",
    "{user}: {calls} today, {messages} this minute":
        "{user}: {calls} hoje, {messages} neste minuto",
    "{user} (admin): {calls} today, {messages} this minute":
        "{user} (admin): {calls} hoje, {messages} neste minuto",
    "{n} person": "{n} pessoa",
    "{n} people": "{n} pessoas",
    "{n} time": "{n} vez",
    "{n} times": "{n} vezes",
    "{n} model call": "{n} chamada ao modelo",
    "{n} model calls": "{n} chamadas ao modelo",
    "{n} message": "{n} mensagem",
    "{n} messages": "{n} mensagens",
    "{n} second": "{n} segundo",
    "{n} seconds": "{n} segundos",
    "{minutes} min": "{minutes} min",
    "{hours} h": "{hours} h",
    "{hours} h {minutes} min": "{hours} h {minutes} min",
    "Too late to stop my last answer: it is already on its way. /undo takes it back if you don't "
    "want it.":
        "Tarde demais para interromper minha última resposta: ela já está a caminho. /undo desfaz "
        "se você não quiser.",
    "Too late to stop my last answer: it is already on its way. /undo takes it back if you don't "
    "want it. The messages you sent after it were dropped.":
        "Tarde demais para interromper minha última resposta: ela já está a caminho. /undo desfaz "
        "se você não quiser. As mensagens que você mandou depois dela foram descartadas.",
    "Stopped. Your table and chart are as they were.":
        "Interrompido. Sua tabela e seu gráfico continuam como estavam.",
    "Nothing to stop: I'm not working on anything for this chat.":
        "Não há nada para interromper: não estou fazendo nada para este chat.",
    "I couldn't make a voice note just now; the answer is in the text above.":
        "Não consegui gravar uma mensagem de voz agora; a resposta está no texto acima.",
    "There is nothing to read aloud in this answer.":
        "Não há nada para ler em voz alta nesta resposta.",
    # Photos, table files, model answers, charts, code mode.
    "That image file looks damaged or incomplete, so I can't read it. Try sending it again, or "
    "send a screenshot of the chart.":
        "Esse arquivo de imagem parece danificado ou incompleto, então não consigo lê-lo. Tente "
        "mandar de novo ou mande uma captura de tela do gráfico.",
    "an SVG drawing": "um desenho SVG",
    "a PDF": "um PDF",
    "a HEIC photo": "uma foto HEIC",
    "a HEIF photo": "uma foto HEIF",
    "an AVIF image": "uma imagem AVIF",
    "a TIFF image": "uma imagem TIFF",
    "a ZIP archive": "um arquivo ZIP",
    "a video": "um vídeo",
    "a text file": "um arquivo de texto",
    "that kind of file ({mime})": "esse tipo de arquivo ({mime})",
    "that kind of file": "esse tipo de arquivo",
    "I can't read {kind}. Send it as a photo rather than as a file, or as a PNG, JPEG, WebP, GIF "
    "or BMP image.":
        "Não consigo ler {kind}. Mande como foto em vez de arquivo, ou como imagem PNG, JPEG, "
        "WebP, GIF ou BMP.",
    "I can't read {kind}. Send the chart as a PNG, JPEG, WebP, GIF or BMP image; a screenshot "
    "works.":
        "Não consigo ler {kind}. Mande o gráfico como imagem PNG, JPEG, WebP, GIF ou BMP; uma "
        "captura de tela serve.",
    "That file is empty. Send the chart as a PNG, JPEG, WebP, GIF or BMP image.":
        "Esse arquivo está vazio. Mande o gráfico como imagem PNG, JPEG, WebP, GIF ou BMP.",
    "That file is {size}; I can read images up to {limit}. Send a screenshot or a smaller photo.":
        "Esse arquivo tem {size}; consigo ler imagens de até {limit}. Mande uma captura de tela ou "
        "uma foto menor.",
    "That image is {width}×{height} pixels ({megapixels} megapixels); I can read images up to "
    "{limit} megapixels. Send a screenshot or a smaller copy.":
        "Essa imagem tem {width}×{height} pixels ({megapixels} megapixels); consigo ler imagens de "
        "até {limit} megapixels. Mande uma captura de tela ou uma cópia menor.",
    "That image has far too many pixels for me to read; I can read images up to {limit} "
    "megapixels. Send a screenshot or a smaller copy.":
        "Essa imagem tem pixels demais para eu ler; consigo ler imagens de até {limit} megapixels. "
        "Mande uma captura de tela ou uma cópia menor.",
    "That image is only {width}×{height} pixels, too small to read. Send a larger screenshot of "
    "the chart.":
        "Essa imagem tem só {width}×{height} pixels, pequena demais para ler. Mande uma captura de "
        "tela maior do gráfico.",
    "That image has too much fine detail to send to the model, even shrunk. Send a screenshot "
    "cropped to just the chart.":
        "Essa imagem tem detalhes finos demais para enviar ao modelo, mesmo reduzida. Mande uma "
        "captura de tela recortada só no gráfico.",
    "I can't read old Excel .xls files. Save it as .xlsx or .csv and send it again.":
        "Não consigo ler arquivos .xls do Excel antigo. Salve como .xlsx ou .csv e mande de novo.",
    "I can't read OpenDocument .ods files. Save it as .xlsx or .csv and send it again.":
        "Não consigo ler arquivos .ods do OpenDocument. Salve como .xlsx ou .csv e mande de novo.",
    "I can't read Apple Numbers files. Save it as .xlsx or .csv and send it again.":
        "Não consigo ler arquivos do Apple Numbers. Salve como .xlsx ou .csv e mande de novo.",
    "I couldn't read that file as a table. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Não consegui ler esse arquivo como tabela. Salve como .csv (UTF-8) ou .xlsx e mande de "
        "novo.",
    "That doesn't look like a valid .xlsx file. Save it as .csv (UTF-8) or .xlsx and send it "
    "again.":
        "Isso não parece um arquivo .xlsx válido. Salve como .csv (UTF-8) ou .xlsx e mande de "
        "novo.",
    "That file is empty. Send a CSV or XLSX file with a header row and some data.":
        "Esse arquivo está vazio. Mande um arquivo CSV ou XLSX com uma linha de cabeçalho e alguns "
        "dados.",
    "That file is {size} MB; I can read table files up to {limit} MB. Send a smaller CSV or XLSX "
    "file.":
        "Esse arquivo tem {size} MB; consigo ler arquivos de tabela de até {limit} MB. Mande um "
        "arquivo CSV ou XLSX menor.",
    "That Excel file seems to be password-protected. Remove the password (or save it as .csv) and "
    "send it again.":
        "Esse arquivo do Excel parece estar protegido por senha. Remova a senha (ou salve como "
        ".csv) e mande de novo.",
    "That file has a header row but no data rows. Add some data and send it again.":
        "Esse arquivo tem uma linha de cabeçalho, mas nenhuma linha de dados. Adicione alguns "
        "dados e mande de novo.",
    "That table has more than {limit} rows; I can take at most {limit}. Trim it and send it again.":
        "Essa tabela tem mais de {limit} linhas; consigo processar no máximo {limit}. Reduza a "
        "tabela e mande de novo.",
    "That table has {count} columns; I can take at most {limit}. Remove some columns and send it "
    "again.":
        "Essa tabela tem {count} colunas; consigo processar no máximo {limit}. Remova algumas "
        "colunas e mande de novo.",
    "That table has more than {limit} columns; I can take at most {limit}. Remove some columns and "
    "send it again.":
        "Essa tabela tem mais de {limit} colunas; consigo processar no máximo {limit}. Remova "
        "algumas colunas e mande de novo.",
    "I couldn't use that table: {reason}. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Não consegui usar essa tabela: {reason}. Salve como .csv (UTF-8) ou .xlsx e mande de "
        "novo.",
    "That text file doesn't look like a table: I need columns separated by commas, semicolons, "
    "tabs or |. Send a .csv or .xlsx file.":
        "Esse arquivo de texto não parece uma tabela: preciso de colunas separadas por vírgulas, "
        "ponto e vírgula, tabulações ou |. Mande um arquivo .csv ou .xlsx.",
    "That file doesn't look like a text table (CSV). Save it as .csv (UTF-8) or .xlsx and send it "
    "again.":
        "Esse arquivo não parece uma tabela em texto (CSV). Salve como .csv (UTF-8) ou .xlsx e "
        "mande de novo.",
    "That .xlsx file unpacks to far more data than a table needs, so I won't open it. Send a "
    "smaller sheet or save it as .csv.":
        "Esse arquivo .xlsx, descompactado, gera muito mais dados do que uma tabela precisa, então "
        "não vou abri-lo. Mande uma planilha menor ou salve como .csv.",
    "That workbook has no data in any sheet. Send a file with a header row and some data.":
        "Essa pasta de trabalho não tem dados em nenhuma planilha. Mande um arquivo com uma linha "
        "de cabeçalho e alguns dados.",
    "the table has no columns": "a tabela não tem colunas",
    "the table has no rows": "a tabela não tem linhas",
    "a table needs at least one column": "uma tabela precisa de pelo menos uma coluna",
    "a table may have at most {limit} columns": "uma tabela pode ter no máximo {limit} colunas",
    "a table may have at most {limit} rows": "uma tabela pode ter no máximo {limit} linhas",
    "row {row} has {cells} cells but there are {width} columns":
        "a linha {row} tem {cells} células, mas há {width} colunas",
    "row {row} holds a number that is not finite":
        "a linha {row} contém um número que não é finito",
    "row {row} holds a cell longer than {limit} chars":
        "a linha {row} contém uma célula com mais de {limit} caracteres",
    "{count} row": "{count} linha",
    "{count} rows": "{count} linhas",
    "{count} column": "{count} coluna",
    "{count} columns": "{count} colunas",
    "“{title}”: {rows} × {columns} ({names})": "“{title}”: {rows} × {columns} ({names})",
    "{rows} × {columns} ({names})": "{rows} × {columns} ({names})",
    "The answer is empty.": "A resposta está vazia.",
    "some cells could not be read": "algumas células não puderam ser lidas",
    "The table in the answer could not be used: {problem}.":
        "Não deu para usar a tabela da resposta: {problem}.",
    "No data table found in the answer.": "Nenhuma tabela de dados encontrada na resposta.",
    "column “{name}” does not hold numbers": "a coluna “{name}” não contém números",
    "the table has no column of numbers to draw":
        "a tabela não tem nenhuma coluna numérica para desenhar",
    "a pie chart cannot show negative numbers":
        "um gráfico de pizza não pode mostrar números negativos",
    "a pie chart needs at least one positive number":
        "um gráfico de pizza precisa de pelo menos um número positivo",
    "a log scale needs every value above zero":
        "uma escala logarítmica exige que todos os valores sejam maiores que zero",
    "the axis minimum must be below its maximum": "o mínimo do eixo precisa ser menor que o máximo",
    "a bar-and-line chart needs two columns of numbers":
        "um gráfico de barras e linha precisa de duas colunas numéricas",
    "{bars} bars are too many to draw; show fewer rows or use a line chart":
        "{bars} barras são demais para desenhar; mostre menos linhas ou use um gráfico de linhas",
    "I can't listen to voice messages here; please type instead.":
        "Não consigo ouvir mensagens de voz aqui; digite sua mensagem, por favor.",
    "The model endpoint refused the request.": "O endpoint do modelo recusou a requisição.",
    "The model endpoint refused our key; the operator needs to check it.":
        "O endpoint do modelo recusou nossa chave; o operador precisa verificá-la.",
    "The model endpoint does not know the model {model}.":
        "O endpoint do modelo não conhece o modelo {model}.",
    "The model endpoint answered with an error ({status}).":
        "O endpoint do modelo respondeu com um erro ({status}).",
    "The model endpoint could not be reached.": "Não foi possível acessar o endpoint do modelo.",
    "The model took too long to answer. Please try again in a moment.":
        "O modelo demorou demais para responder. Tente de novo daqui a pouco.",
    "The model service is busy (rate limited). Please try again in a minute.":
        "O serviço do modelo está ocupado (limite de requisições). Tente de novo daqui a um "
        "minuto.",
    "I can't reach the model service right now. Please try again.":
        "Não consigo acessar o serviço do modelo agora. Tente de novo.",
    "The model service is having trouble. Please try again shortly.":
        "O serviço do modelo está com problemas. Tente de novo daqui a pouco.",
    "{tool} is not installed (Debian package util-linux)":
        "{tool} não está instalado (pacote util-linux do Debian)",
    "code mode needs Linux namespaces": "o modo de código precisa de namespaces do Linux",
    "code mode needs root to create namespaces and switch to the sandbox user":
        "o modo de código precisa de root para criar namespaces e trocar para o usuário do sandbox",
    "the Python executable is unknown": "o executável do Python é desconhecido",
    "cannot read this process's namespaces: {reason}":
        "não foi possível ler os namespaces deste processo: {reason}",
    "could not start the sandbox: {reason}": "não foi possível iniciar o sandbox: {reason}",
    "the sandbox could not start: {reason}": "o sandbox não conseguiu iniciar: {reason}",
    "The sandbox did not start in time.": "O sandbox não iniciou a tempo.",
    "The chart code produced more than {size} MB of output.":
        "O código do gráfico gerou mais de {size} MB de saída.",
    "The chart code took longer than {seconds} s.":
        "O código do gráfico levou mais de {seconds} s.",
    "The chart code failed: {error}": "O código do gráfico falhou: {error}",
    "The chart code failed: unknown error": "O código do gráfico falhou: erro desconhecido",
    "The chart code was stopped before it finished (it hit a CPU, memory, file or process limit).":
        "O código do gráfico foi interrompido antes de terminar (atingiu um limite de CPU, "
        "memória, arquivos ou processos).",
    "The chart code did not produce a PNG image.": "O código do gráfico não gerou uma imagem PNG.",
    "The chart code produced an image that is too large.":
        "O código do gráfico gerou uma imagem grande demais.",
    "The chart code produced a damaged PNG image.":
        "O código do gráfico gerou uma imagem PNG danificada.",
    "The chart code is longer than {size} KB.": "O código do gráfico tem mais de {size} KB.",
    # The command menu.
    "What I do, with an example": "O que eu faço, com um exemplo",
    "Show the data table": "Mostrar a tabela de dados",
    "Send the table as a CSV file": "Enviar a tabela como arquivo CSV",
    "Send the chart as PNG and SVG files": "Enviar o gráfico como arquivos PNG e SVG",
    "Undo the last change": "Desfazer a última alteração",
    "Redo what was undone": "Refazer o que foi desfeito",
    "Start over": "Começar do zero",
    "Voice-note replies on or off": "Ativar ou desativar respostas por voz",
    "Stop what I'm working on": "Interromper o que estou fazendo",
    "I only act on new messages, so editing one changes nothing. Send the corrected request as a "
    "new message (/undo takes back what the first one did).":
        "Só respondo a mensagens novas, então editar uma não muda nada. Mande o pedido corrigido "
        "como uma nova mensagem (/undo desfaz o que a primeira fez).",
    "Send the table as an Excel workbook": "Enviar a tabela como planilha do Excel",
    "Your chart was changed elsewhere at the same moment. Please try again.":
        "Seu gráfico foi alterado em outro lugar no mesmo instante. Tente de novo.",
    "How many model calls you have used today":
        "Quantas chamadas ao modelo você usou hoje",
    "Read the chart in an image":
        "Ler o gráfico de uma imagem",
    "A chart: a photo or screenshot":
        "Um gráfico: uma foto ou captura de tela",
    "Discord wouldn't let me download that file. Please send it again.":
        "O Discord não me deixou baixar esse arquivo. Envie-o de novo, por favor.",
    # The read check: values two reads of a chart disagree on.
    "{row} · {column}: {shown} or {other}?":
        "{row} · {column}: {shown} ou {other}?",
    "… and {count} more, marked {mark} in /table.":
        "… e mais {count}, marcados com {mark} em /table.",
    "I read the chart twice and got different values here; please check them against "
    "your picture (a button under the chart keeps the other value):\n"
    "{cells}":
        "Li o gráfico duas vezes e obtive valores diferentes aqui; confira-os com a sua "
        "imagem (um botão sob o gráfico fica com o outro valor):\n"
        "{cells}",
    "{mark} marks a value my two readings of the chart disagree on:\n"
    "{cells}":
        "{mark} marca um valor em que as minhas duas leituras do gráfico não coincidem:\n"
        "{cells}",
    "{row} · {column} → {value}":
        "{row} · {column} → {value}",
    "Kept {value} for {row} · {column}.":
        "Fiquei com {value} para {row} · {column}.",
    "Its value axis is logarithmic, so I drew it that way too.":
        "O eixo de valores é logarítmico, por isso também o desenhei assim.",
    "One more value to check.":
        "Falta conferir mais um valor.",
    "{count} more values to check.":
        "Faltam conferir mais {count} valores.",
    # Edits and charts that fit: what changed, in numbers.
    "{rows} rows are too many to draw as bars, so this is a line chart; say “bar chart of the "
    "top 20” to see bars.":
        "{rows} linhas são demais para desenhar como barras, então este é um gráfico de linhas; "
        "diga “gráfico de barras dos 20 primeiros” para ver barras.",
    "{first} This shows the first {shown} of {count} value columns.":
        "{first} Mostra as primeiras {shown} de {count} colunas de valores.",
    "I couldn't draw the chart as it was ({reason}), so I drew one that fits; tell me what "
    "you'd like instead.":
        "Não consegui desenhar o gráfico como estava ({reason}), então desenhei um que cabe; "
        "diga-me como prefere.",
    "This shows the first {shown} of {count} value columns; tell me which ones you want to see.":
        "Mostra as primeiras {shown} de {count} colunas de valores; diga-me quais quer ver.",
    "Added {count} row":
        "Adicionada {count} linha",
    "Added {count} rows":
        "Adicionadas {count} linhas",
    "Removed {count} row":
        "Removida {count} linha",
    "Removed {count} rows":
        "Removidas {count} linhas",
    "Removed {count} row where {condition}":
        "Removida {count} linha onde {condition}",
    "Removed {count} rows where {condition}":
        "Removidas {count} linhas onde {condition}",
    "Kept {kept} row where {condition}, removed {count}":
        "Mantida {kept} linha onde {condition}, removidas {count}",
    "Kept {kept} rows where {condition}, removed {count}":
        "Mantidas {kept} linhas onde {condition}, removidas {count}",
    "Changed {count} value in “{column}”":
        "Alterado {count} valor em “{column}”",
    "Changed {count} values in “{column}”":
        "Alterados {count} valores em “{column}”",
    "Filled {count} empty cell in “{column}”":
        "Preenchida {count} célula vazia em “{column}”",
    "Filled {count} empty cells in “{column}”":
        "Preenchidas {count} células vazias em “{column}”",
    "Removed column {names}":
        "Removida a coluna {names}",
    "Removed {count} columns: {names}":
        "Removidas {count} colunas: {names}",
    "Set {row} · {column} to {value} (was {old})":
        "{row} · {column} agora é {value} (antes {old})",
    "Renamed row “{old}” to “{new}”":
        "Linha “{old}” renomeada para “{new}”",
    "Added column “{column}”":
        "Adicionada a coluna “{column}”",
    "Renamed column “{old}” to “{new}”":
        "Coluna “{old}” renomeada para “{new}”",
    "Sorted rows by “{column}”, smallest first":
        "Linhas ordenadas por “{column}”, do menor para o maior",
    "Sorted rows by “{column}”, largest first":
        "Linhas ordenadas por “{column}”, do maior para o menor",
    "Swapped rows and columns":
        "Linhas e colunas trocadas",
    "I kept your table ({summary}), but it has no column of numbers to draw. Tell me what to "
    "change, or /csv to get it back.":
        "Guardei sua tabela ({summary}), mas ela não tem nenhuma coluna de números para "
        "desenhar. Diga o que mudar, ou use /csv para recebê-la de volta.",
    "There is no column of numbers left to draw; /table shows your data.":
        "Não sobrou nenhuma coluna de números para desenhar; /table mostra seus dados.",
    "; ":
        "; ",
    "{changes}.":
        "{changes}.",
    # A pie chart's slice of the smallest values.
    "Other": "Outros",
    # The library: /charts, PDFs, questions across charts.
    "List your charts and pick one":
        "Listar seus gráficos e escolher um",
    "Made from: {charts}.":
        "Feito a partir de: {charts}.",
    "Now working on: {summary}":
        "Agora trabalhando em: {summary}",
    "I found nothing about that in your {count} charts. /charts lists them.":
        "Não encontrei nada sobre isso nos seus {count} gráficos. /charts lista todos.",
    "None of your charts answers that, as far as I can tell. /charts lists them.":
        "Nenhum dos seus gráficos responde a isso, pelo que posso ver. /charts lista todos.",
    "{file}: {pages} pages read, {count} charts found and added to your library:":
        "{file}: {pages} páginas lidas, {count} gráficos encontrados e adicionados à sua "
        "biblioteca:",
    "The last one is the current chart. Tap a number to work on another, or ask about all of them.":
        "O último agora é o gráfico atual. Toque em um número para trabalhar em outro, ou "
        "pergunte sobre todos.",
    "Pages too large to draw, skipped: {pages}.":
        "Páginas grandes demais para desenhar, ignoradas: {pages}.",
    "Pages I couldn't read: {pages}.":
        "Páginas que não consegui ler: {pages}.",
    "{reason} Pages not read: {pages}.":
        "{reason} Páginas não lidas: {pages}.",
    "I couldn't put those charts together. Name the charts and the columns, e.g. “put the 2023 "
    "columns of the sales and the costs charts side by side”.":
        "Não consegui juntar esses gráficos. Diga quais gráficos e quais colunas, por ex. "
        "“coloque lado a lado as colunas de 2023 dos gráficos de vendas e de custos”.",
    "That chart is no longer in your library.":
        "Esse gráfico não está mais na sua biblioteca.",
    "I looked at all {pages} pages of {file} and found no charts.":
        "Olhei as {pages} páginas de {file} e não encontrei gráficos.",
    "page {page}":
        "página {page}",
    "untitled chart":
        "gráfico sem título",
    "an earlier chart":
        "um gráfico anterior",
    "“{title}” ({source})":
        "“{title}” ({source})",
    "{file}, page {page}":
        "{file}, página {page}",
    "your photo (message {id})":
        "sua foto (mensagem {id})",
    "your photo":
        "sua foto",
    "combined from {entries}":
        "combinado de {entries}",
    "Your charts ({count}); tap a number to work on that chart:":
        "Seus gráficos ({count}); toque em um número para trabalhar nesse gráfico:",
    "• {result} — from {citation}":
        "• {result} — de {citation}",
    "That PDF is too big for me: the limit is {mb} MB.":
        "Esse PDF é grande demais para mim: o limite é {mb} MB.",
    "That file is not a PDF I can read.":
        "Esse arquivo não é um PDF que eu consiga ler.",
    "That PDF is damaged or not a PDF I can read.":
        "Esse PDF está danificado ou não é um PDF que eu consiga ler.",
    "That PDF has no pages.":
        "Esse PDF não tem páginas.",
    "That PDF has {pages} pages; I read at most {limit}. Send the pages with the charts as a "
    "shorter PDF.":
        "Esse PDF tem {pages} páginas; eu leio no máximo {limit}. Envie as páginas com os "
        "gráficos em um PDF menor.",
    "That PDF is encrypted or password-protected, so I can't read it. Send a copy without "
    "protection.":
        "Esse PDF está criptografado ou protegido por senha, então não consigo lê-lo. Envie uma "
        "cópia sem proteção.",
    "Page {page} of that PDF is too large to draw.":
        "A página {page} desse PDF é grande demais para desenhar.",
    "Reading {file}: page {page} of {pages}…":
        "Lendo {file}: página {page} de {pages}…",
    "If that link is a chart picture, I'll read it as soon as Discord shows its preview. You can "
    "also attach the image.":
        "Se esse link for a imagem de um gráfico, vou lê-la assim que o Discord mostrar a "
        "prévia. Você também pode anexar a imagem.",
}
