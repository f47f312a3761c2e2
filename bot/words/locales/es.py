"""Spanish: the bot's own messages, keyed by the English text."""

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
        "Convierto la foto de un gráfico en datos que puedes editar.\n"
        "\n"
        "1. Mándame un gráfico: una foto, una captura de pantalla o un archivo de imagen.\n"
        "2. Leo su tabla de datos y vuelvo a dibujar el gráfico.\n"
        "3. Dime qué cambiar, con tus propias palabras (o en el pie de la foto):\n"
        "   • “conviértelo en un gráfico circular”\n"
        "   • “ordena de mayor a menor”\n"
        "   • “añade 2024 = 50”\n"
        "   • “¿qué creció más rápido?”\n"
        "\n"
        "Comandos: /table muestra los datos, /csv los envía como archivo (/xlsx como libro de "
        "Excel), /export envía el "
        "gráfico como archivos PNG y SVG, /undo y /redo recorren tus cambios, /reset empieza de "
        "cero, /cancel detiene lo que estoy haciendo.",
    "Send me a chart photo first — then tell me what to change about it.":
        "Primero mándame la foto de un gráfico y luego dime qué quieres cambiar.",
    "I can't reach my memory store right now, so I can't work on your chart. "
    "Nothing is lost — please try again in a minute.":
        "Ahora mismo no puedo acceder a mi almacenamiento, así que no puedo trabajar en tu "
        "gráfico. No se ha perdido nada: inténtalo de nuevo en un minuto.",
    "Here is your data as a chart: {summary}. Tell me what to change.":
        "Aquí tienes tus datos en un gráfico: {summary}. Dime qué quieres cambiar.",
    "Here is your chart again: {summary}. Tell me what to change.":
        "Aquí tienes tu gráfico otra vez: {summary}. Dime qué quieres cambiar.",
    "I couldn't make out any words in that voice message.":
        "No pude entender ninguna palabra en ese mensaje de voz.",
    "I couldn't find a chart with data in that picture. Send a clear, straight photo or "
    "screenshot of a bar, line or pie chart.":
        "No encontré ningún gráfico con datos en esa imagen. Manda una foto nítida y de frente, o "
        "una captura de pantalla, de un gráfico de barras, de líneas o circular.",
    "I couldn't turn that into a change to your chart. Try saying it another way, "
    "e.g. “make it a line chart”.":
        "No supe convertir eso en un cambio en tu gráfico. Prueba a decirlo de otra forma, p. ej. "
        "“conviértelo en un gráfico de líneas”.",
    "Done.": "Hecho.",
    "Nothing to undo.": "No hay nada que deshacer.",
    "Undone.": "Deshecho.",
    "Nothing to redo.": "No hay nada que rehacer.",
    "Redone.": "Rehecho.",
    "{done} There is no table now. {guide}": "{done} Ahora no hay ninguna tabla. {guide}",
    "There is nothing to reset. {guide}": "No hay nada que reiniciar. {guide}",
    "Cleared. Send a new chart photo (/undo brings the old one back).":
        "Borrado. Manda la foto de un gráfico nuevo (/undo recupera el anterior).",
    "Voice replies are on: answers also come as a voice note. /voice turns them off.":
        "Respuestas de voz activadas: las respuestas también llegarán como nota de voz. /voice "
        "las desactiva.",
    "Voice replies are on.": "Respuestas de voz activadas.",
    "Voice replies are off.": "Respuestas de voz desactivadas.",
    "I can't draw that: {reason}.": "No puedo dibujar eso: {reason}.",
    "I can't draw that: {reason}. Your chart is unchanged.":
        "No puedo dibujar eso: {reason}. Tu gráfico no ha cambiado.",
    "{reason} Your chart is unchanged.": "{reason} Tu gráfico no ha cambiado.",
    "I couldn't work that out: {reason}.": "No pude calcularlo: {reason}.",
    "That button doesn't work any more.": "Ese botón ya no funciona.",
    "Stopped.": "Detenido.",
    "There is no chart now. {guide}": "Ahora no hay ningún gráfico. {guide}",
    "That chart is out of date; use the buttons under the newest one.":
        "Ese gráfico está desactualizado; usa los botones del más reciente.",
    "Voice replies on.": "Respuestas de voz activadas.",
    "Voice replies off.": "Respuestas de voz desactivadas.",
    "Sorted": "Ordenado",
    "Chart": "Gráfico",
    "Bar chart": "Gráfico de barras",
    "Horizontal bar chart": "Gráfico de barras horizontales",
    "Stacked bar chart": "Gráfico de barras apiladas",
    "Line chart": "Gráfico de líneas",
    "Area chart": "Gráfico de áreas",
    "Stacked area chart": "Gráfico de áreas apiladas",
    "Scatter chart": "Gráfico de dispersión",
    "Pie chart": "Gráfico circular",
    "Donut chart": "Gráfico de anillo",
    "Bar and line chart": "Gráfico de barras y líneas",
    "📊 Bar": "📊 Barras",
    "📈 Line": "📈 Líneas",
    "🥧 Pie": "🥧 Circular",
    "⇣ Sort": "⇣ Ordenar",
    "⇡ Sort": "⇡ Ordenar",
    "✕ Unsort": "✕ Quitar orden",
    "↶ Undo": "↶ Deshacer",
    "📋 Table": "📋 Tabla",
    "🔇 Voice off": "🔇 Sin voz",
    "🔊 Voice": "🔊 Voz",
    "The table is too big for a message: {summary}":
        "La tabla es demasiado grande para un mensaje: {summary}",
    "The chart at print size (PNG) and as an SVG whose text you can edit. /csv sends the data.":
        "El gráfico a tamaño de impresión (PNG) y como SVG con texto editable. /csv envía los "
        "datos.",
    "{answer} (Rows used: {rows}.)": "{answer} (Filas usadas: {rows}.)",
    "all {count} rows": "las {count} filas",
    ", ": ", ",
    "{items} and {last}": "{items} y {last}",
    "{n}st": "{n}.º",
    "{n}nd": "{n}.º",
    "{n}rd": "{n}.º",
    "{n}th": "{n}.º",
    "The total of {column} is {value}.": "El total de {column} es {value}.",
    "The average of {column} is {value}.": "La media de {column} es {value}.",
    "The median of {column} is {value}.": "La mediana de {column} es {value}.",
    "{labels} has the lowest {column}: {value}.":
        "{labels} tiene el valor más bajo de {column}: {value}.",
    "{labels} have the lowest {column}: {value}.":
        "{labels} tienen el valor más bajo de {column}: {value}.",
    "{labels} has the highest {column}: {value}.":
        "{labels} tiene el valor más alto de {column}: {value}.",
    "{labels} have the highest {column}: {value}.":
        "{labels} tienen el valor más alto de {column}: {value}.",
    "{column} has no values.": "{column} no tiene valores.",
    "{column} has {count} value.": "{column} tiene {count} valor.",
    "{column} has {count} values.": "{column} tiene {count} valores.",
    "{column} has no values in the chosen rows.":
        "{column} no tiene valores en las filas elegidas.",
    "{column} has {count} value in the chosen rows.":
        "{column} tiene {count} valor en las filas elegidas.",
    "{column} has {count} values in the chosen rows.":
        "{column} tiene {count} valores en las filas elegidas.",
    "{column} ranges from {low} ({low_label}) to {high} ({high_label}), a spread of {spread}.":
        "{column} va de {low} ({low_label}) a {high} ({high_label}), una diferencia de {spread}.",
    "From {first} to {last}, {column} changed {change} (from {first_value} to {last_value}).":
        "De {first} a {last}, {column} tuvo una variación de {change} (de {first_value} a "
        "{last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "period (from {first_value} to {last_value}).":
        "De {first} a {last}, {column} tuvo una variación compuesta de {change} por periodo a lo "
        "largo de {steps} periodo (de {first_value} a {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "periods (from {first_value} to {last_value}).":
        "De {first} a {last}, {column} tuvo una variación compuesta de {change} por periodo a lo "
        "largo de {steps} periodos (de {first_value} a {last_value}).",
    "{label} grew fastest: {change} (from {before} to {after}).":
        "El mayor crecimiento fue en {label}: {change} (de {before} a {after}).",
    "{label} had the largest change: {change} (from {before} to {after}).":
        "El mayor cambio fue en {label}: {change} (de {before} a {after}).",
    "{label} fell the most: {change} (from {before} to {after}).":
        "La mayor caída fue en {label}: {change} (de {before} a {after}).",
    "{label} grew slowest: {change} (from {before} to {after}).":
        "El menor crecimiento fue en {label}: {change} (de {before} a {after}).",
    "{labels} is {share}% of the total {column} ({part} of {total}).":
        "{labels} representa el {share}% del total de {column} ({part} de {total}).",
    "{labels} together are {share}% of the total {column} ({part} of {total}).":
        "Entre {labels} suman el {share}% del total de {column} ({part} de {total}).",
    "In {column}, {a} and {b} are equal ({a_value} vs {b_value}).":
        "En {column}, {a} y {b} son iguales ({a_value} frente a {b_value}).",
    "{amount} percentage points": "{amount} puntos porcentuales",
    "In {column}, {a} is {amount} more than {b} ({a_value} vs {b_value}).":
        "En {column}, {a} tiene {amount} más que {b} ({a_value} frente a {b_value}).",
    "In {column}, {a} is {amount} less than {b} ({a_value} vs {b_value}).":
        "En {column}, {a} tiene {amount} menos que {b} ({a_value} frente a {b_value}).",
    "In {column}, {a} is {ratio} times {b} ({a_value} vs {b_value}).":
        "En {column}, {a} equivale a {ratio} veces {b} ({a_value} frente a {b_value}).",
    "{label} ranks {place} of {count} by {column} ({value}).":
        "{label} ocupa el puesto {place} de {count} según {column} ({value}).",
    "{label} ranks {place} (tied) of {count} by {column} ({value}).":
        "{label} comparte el puesto {place} de {count} según {column} ({value}).",
    "the result is too large to compute": "el resultado es demasiado grande para calcularlo",
    "the result is too large to show": "el resultado es demasiado grande para mostrarlo",
    "the table has no column of numbers": "la tabla no tiene ninguna columna numérica",
    "there is no column called “{name}”": "no hay ninguna columna llamada “{name}”",
    "the column “{name}” does not hold numbers": "la columna “{name}” no contiene números",
    "there is no row called “{label}”": "no hay ninguna fila llamada “{label}”",
    "there are no {column} values in the table": "no hay valores de {column} en la tabla",
    "there are no {column} values in the chosen rows":
        "no hay valores de {column} en las filas elegidas",
    "growth needs at least two rows with {column} values":
        "para calcular el crecimiento hacen falta al menos dos filas con valores de {column}",
    "compound growth needs at least two rows with {column} values":
        "para calcular el crecimiento compuesto hacen falta al menos dos filas con valores de "
        "{column}",
    "growth from “{label}” cannot be computed: its value is 0":
        "no se puede calcular el crecimiento desde “{label}”: su valor es 0",
    "compound growth needs positive values at the start and end":
        "el crecimiento compuesto necesita valores positivos al principio y al final",
    "a change from row to row needs at least two rows of {column}":
        "para ver el cambio de una fila a otra hacen falta al menos dos filas de {column}",
    "no change can be computed: every previous {column} value is 0 or missing":
        "no se puede calcular ningún cambio: todos los valores anteriores de {column} son 0 o "
        "faltan",
    "a share needs at least one row": "para calcular una proporción hace falta al menos una fila",
    "the total of {column} is 0, so there are no shares":
        "el total de {column} es 0, así que no hay proporciones",
    "a difference needs exactly two rows":
        "para calcular una diferencia hacen falta exactamente dos filas",
    "a ratio needs exactly two rows": "para calcular un cociente hacen falta exactamente dos filas",
    "cannot divide by “{label}”: its {column} value is 0":
        "no se puede dividir entre “{label}”: su valor de {column} es 0",
    "“{label}” has no {column} value": "“{label}” no tiene valor de {column}",
    "a rank needs exactly one row": "para calcular una posición hace falta exactamente una fila",
    # Telegram: access, limits, progress, stopping, voice.
    "Still working on it — the model is taking its time. /cancel stops it.":
        "Sigo con ello; el modelo se está tomando su tiempo. /cancel lo detiene.",
    "Still reading your chart — the model is taking its time. /cancel stops it.":
        "Sigo leyendo tu gráfico; el modelo se está tomando su tiempo. /cancel lo detiene.",
    "Sorry, something went wrong on my side. Your data is safe; please try again.":
        "Lo siento, algo falló por mi parte. Tus datos están a salvo; inténtalo de nuevo.",
    "⏹ Stop": "⏹ Detener",
    "I work with charts: send me a photo or screenshot of one, then tell me what to change. "
    "/help shows examples.":
        "Trabajo con gráficos: mándame una foto o una captura de pantalla de uno y luego dime qué "
        "cambiar. /help muestra ejemplos.",
    "I can read charts from photos, image files (PNG, JPEG, WebP, GIF, BMP) and PDFs, and "
    "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.":
        "Puedo leer gráficos en fotos, archivos de imagen (PNG, JPEG, WebP, GIF, BMP) y PDF, y "
        "tablas en archivos CSV o XLSX. Manda una captura de pantalla o una foto del gráfico.",
    "That voice message is too long for me; please keep it under two minutes.":
        "Ese mensaje de voz es demasiado largo para mí; intenta que dure menos de dos minutos.",
    "Telegram wouldn't let me download that file (it may be too big). Send a smaller one.":
        "Telegram no me dejó descargar ese archivo (puede que sea demasiado grande). Manda uno "
        "más pequeño.",
    "Sorry, this bot is private. Ask its owner for access.":
        "Lo siento, este bot es privado. Pídele acceso a su dueño.",
    "Today you have used {used} of {limit} model calls.":
        "Hoy has usado {used} de {limit} llamadas al modelo.",
    "Today you have used {used} of unlimited model calls.":
        "Llamadas al modelo que has usado hoy: {used} (sin límite).",
    "Usage figures are unavailable right now; please try again soon.":
        "Los datos de uso no están disponibles ahora mismo; inténtalo de nuevo en un rato.",
    "You've sent a lot of messages; try again in {wait}.":
        "Has enviado muchos mensajes; inténtalo de nuevo dentro de {wait}.",
    "You've used today's {n} chart request; it resets in {wait}.":
        "Ya has alcanzado tu límite de hoy: {n} solicitud de gráfico. Se reinicia dentro de "
        "{wait}.",
    "You've used today's {n} chart requests; it resets in {wait}.":
        "Ya has alcanzado tu límite de hoy: {n} solicitudes de gráficos. Se reinicia dentro de "
        "{wait}.",
    "Usage on {date} (UTC; the day resets in {wait})":
        "Uso del {date} (UTC; el día se reinicia dentro de {wait})",
    "Model calls: {calls} by {people} ({limit}).":
        "Llamadas al modelo: {calls}, hechas por {people} ({limit}).",
    "Used up their budget: {people}. Hit the message limit: {times} today.":
        "Cupo agotado: {people}. Límite de mensajes alcanzado: {times} hoy.",
    "limit {n} a day each": "límite de {n} al día por persona",
    "no daily limit": "sin límite diario",
    "… and {count} more.": "… y {count} más.",
    "{user}: {calls} today, {messages} this minute":
        "{user}: {calls} hoy, {messages} en este minuto",
    "{user} (admin): {calls} today, {messages} this minute":
        "{user} (admin): {calls} hoy, {messages} en este minuto",
    "{n} person": "{n} persona",
    "{n} people": "{n} personas",
    "{n} time": "{n} vez",
    "{n} times": "{n} veces",
    "{n} model call": "{n} llamada al modelo",
    "{n} model calls": "{n} llamadas al modelo",
    "{n} message": "{n} mensaje",
    "{n} messages": "{n} mensajes",
    "{n} second": "{n} segundo",
    "{n} seconds": "{n} segundos",
    "{minutes} min": "{minutes} min",
    "{hours} h": "{hours} h",
    "{hours} h {minutes} min": "{hours} h {minutes} min",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it.":
        "Demasiado tarde para detener mi última respuesta: ya va en camino. /undo la deshace si "
        "no la quieres.",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it. The messages you sent after it were dropped.":
        "Demasiado tarde para detener mi última respuesta: ya va en camino. /undo la deshace si "
        "no la quieres. Los mensajes que enviaste después se descartaron.",
    "Stopped. Your table and chart are as they were.":
        "Detenido. Tu tabla y tu gráfico siguen como estaban.",
    "Nothing to stop: I'm not working on anything for this chat.":
        "No hay nada que detener: no estoy trabajando en nada para este chat.",
    "I couldn't make a voice note just now; the answer is in the text above.":
        "No pude crear una nota de voz ahora mismo; la respuesta está en el texto de arriba.",
    "There is nothing to read aloud in this answer.":
        "No hay nada que leer en voz alta en esta respuesta.",
    # Photos, table files, model answers, charts, code mode.
    "That image file looks damaged or incomplete, so I can't read it. "
    "Try sending it again, or send a screenshot of the chart.":
        "Ese archivo de imagen parece dañado o incompleto, así que no puedo leerlo. Prueba a "
        "enviarlo de nuevo o manda una captura de pantalla del gráfico.",
    "an SVG drawing": "un dibujo SVG",
    "a PDF": "un PDF",
    "a HEIC photo": "una foto HEIC",
    "a HEIF photo": "una foto HEIF",
    "an AVIF image": "una imagen AVIF",
    "a TIFF image": "una imagen TIFF",
    "a ZIP archive": "un archivo ZIP",
    "a video": "un video",
    "a text file": "un archivo de texto",
    "that kind of file ({mime})": "ese tipo de archivo ({mime})",
    "that kind of file": "ese tipo de archivo",
    "I can't read {kind}. Send it as a photo rather than as a file, "
    "or as a PNG, JPEG, WebP, GIF or BMP image.":
        "No puedo leer {kind}. Mándalo como foto en lugar de como archivo, o como imagen PNG, "
        "JPEG, WebP, GIF o BMP.",
    "I can't read {kind}. Send the chart as a PNG, JPEG, WebP, GIF or BMP image; "
    "a screenshot works.":
        "No puedo leer {kind}. Manda el gráfico como imagen PNG, JPEG, WebP, GIF o BMP; una "
        "captura de pantalla sirve.",
    "That file is empty. Send the chart as a PNG, JPEG, WebP, GIF or BMP image.":
        "Ese archivo está vacío. Manda el gráfico como imagen PNG, JPEG, WebP, GIF o BMP.",
    "That file is {size}; I can read images up to {limit}. "
    "Send a screenshot or a smaller photo.":
        "Ese archivo ocupa {size}; puedo leer imágenes de hasta {limit}. Manda una captura de "
        "pantalla o una foto más pequeña.",
    "That image is {width}×{height} pixels ({megapixels} megapixels); "
    "I can read images up to {limit} megapixels. Send a screenshot or a smaller copy.":
        "Esa imagen mide {width}×{height} píxeles ({megapixels} megapíxeles); puedo leer imágenes "
        "de hasta {limit} megapíxeles. Manda una captura de pantalla o una copia más pequeña.",
    "That image has far too many pixels for me to read; I can read images up to "
    "{limit} megapixels. Send a screenshot or a smaller copy.":
        "Esa imagen tiene demasiados píxeles para que pueda leerla; puedo leer imágenes de hasta "
        "{limit} megapíxeles. Manda una captura de pantalla o una copia más pequeña.",
    "That image is only {width}×{height} pixels, too small to read. "
    "Send a larger screenshot of the chart.":
        "Esa imagen mide solo {width}×{height} píxeles, demasiado poco para leerla. Manda una "
        "captura de pantalla más grande del gráfico.",
    "That image has too much fine detail to send to the model, even shrunk. "
    "Send a screenshot cropped to just the chart.":
        "Esa imagen tiene demasiado detalle para enviarla al modelo, incluso reducida. Manda una "
        "captura de pantalla recortada para que solo se vea el gráfico.",
    "I can't read old Excel .xls files. Save it as .xlsx or .csv and send it again.":
        "No puedo leer archivos antiguos de Excel .xls. Guárdalo como .xlsx o .csv y vuelve a "
        "enviarlo.",
    "I can't read OpenDocument .ods files. Save it as .xlsx or .csv and send it again.":
        "No puedo leer archivos .ods de OpenDocument. Guárdalo como .xlsx o .csv y vuelve a "
        "enviarlo.",
    "I can't read Apple Numbers files. Save it as .xlsx or .csv and send it again.":
        "No puedo leer archivos de Apple Numbers. Guárdalo como .xlsx o .csv y vuelve a enviarlo.",
    "I couldn't read that file as a table. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "No pude leer ese archivo como tabla. Guárdalo como .csv (UTF-8) o .xlsx y vuelve a "
        "enviarlo.",
    "That doesn't look like a valid .xlsx file. "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Eso no parece un archivo .xlsx válido. Guárdalo como .csv (UTF-8) o .xlsx y vuelve a "
        "enviarlo.",
    "That file is empty. Send a CSV or XLSX file with a header row and some data.":
        "Ese archivo está vacío. Manda un archivo CSV o XLSX con una fila de encabezados y "
        "algunos datos.",
    "That file is {size} MB; I can read table files up to {limit} MB. "
    "Send a smaller CSV or XLSX file.":
        "Ese archivo ocupa {size} MB; puedo leer archivos de tabla de hasta {limit} MB. Manda un "
        "archivo CSV o XLSX más pequeño.",
    "That Excel file seems to be password-protected. Remove the password "
    "(or save it as .csv) and send it again.":
        "Parece que ese archivo de Excel está protegido con contraseña. Quita la contraseña (o "
        "guárdalo como .csv) y vuelve a enviarlo.",
    "That file has a header row but no data rows. Add some data and send it again.":
        "Ese archivo tiene una fila de encabezados, pero ninguna fila de datos. Añade algunos "
        "datos y vuelve a enviarlo.",
    "That table has more than {limit} rows; I can take at most {limit}. "
    "Trim it and send it again.":
        "Esa tabla tiene más de {limit} filas; como máximo puedo procesar {limit}. Recórtala y "
        "vuelve a enviarla.",
    "That table has {count} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "Esa tabla tiene {count} columnas; como máximo puedo procesar {limit}. Quita algunas "
        "columnas y vuelve a enviarla.",
    "That table has more than {limit} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "Esa tabla tiene más de {limit} columnas; como máximo puedo procesar {limit}. Quita "
        "algunas columnas y vuelve a enviarla.",
    "I couldn't use that table: {reason}. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "No pude usar esa tabla: {reason}. Guárdala como .csv (UTF-8) o .xlsx y vuelve a enviarla.",
    "That text file doesn't look like a table: I need columns separated by commas, "
    "semicolons, tabs or |. Send a .csv or .xlsx file.":
        "Ese archivo de texto no parece una tabla: necesito columnas separadas por comas, puntos "
        "y coma, tabulaciones o |. Manda un archivo .csv o .xlsx.",
    "That file doesn't look like a text table (CSV). "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Ese archivo no parece una tabla de texto (CSV). Guárdalo como .csv (UTF-8) o .xlsx y "
        "vuelve a enviarlo.",
    "That .xlsx file unpacks to far more data than a table needs, so I won't open it. "
    "Send a smaller sheet or save it as .csv.":
        "Ese archivo .xlsx se descomprime en muchos más datos de los que necesita una tabla, así "
        "que no voy a abrirlo. Manda una hoja más pequeña o guárdalo como .csv.",
    "That workbook has no data in any sheet. Send a file with a header row and some data.":
        "Ese libro no tiene datos en ninguna hoja. Manda un archivo con una fila de encabezados y "
        "algunos datos.",
    "the table has no columns": "la tabla no tiene columnas",
    "the table has no rows": "la tabla no tiene filas",
    "a table needs at least one column": "una tabla necesita al menos una columna",
    "a table may have at most {limit} columns":
        "una tabla puede tener como máximo {limit} columnas",
    "a table may have at most {limit} rows": "una tabla puede tener como máximo {limit} filas",
    "row {row} has {cells} cells but there are {width} columns":
        "la fila {row} tiene {cells} celdas, pero hay {width} columnas",
    "row {row} holds a number that is not finite":
        "la fila {row} contiene un número que no es finito",
    "row {row} holds a cell longer than {limit} chars":
        "la fila {row} contiene una celda de más de {limit} caracteres",
    "{count} row": "{count} fila",
    "{count} rows": "{count} filas",
    "{count} column": "{count} columna",
    "{count} columns": "{count} columnas",
    "“{title}”: {rows} × {columns} ({names})": "“{title}”: {rows} × {columns} ({names})",
    "{rows} × {columns} ({names})": "{rows} × {columns} ({names})",
    "The answer is empty.": "La respuesta está vacía.",
    "some cells could not be read": "algunas celdas no se pudieron leer",
    "The table in the answer could not be used: {problem}.":
        "No se pudo usar la tabla de la respuesta: {problem}.",
    "No data table found in the answer.": "No se encontró ninguna tabla de datos en la respuesta.",
    "column “{name}” does not hold numbers": "la columna “{name}” no contiene números",
    "the table has no column of numbers to draw":
        "la tabla no tiene ninguna columna numérica que dibujar",
    "a pie chart cannot show negative numbers":
        "un gráfico circular no puede mostrar números negativos",
    "a pie chart needs at least one positive number":
        "un gráfico circular necesita al menos un número positivo",
    "a log scale needs every value above zero":
        "una escala logarítmica necesita que todos los valores sean mayores que cero",
    "the axis minimum must be below its maximum": "el mínimo del eje debe ser menor que su máximo",
    "a bar-and-line chart needs two columns of numbers":
        "un gráfico de barras y líneas necesita dos columnas numéricas",
    "{bars} bars are too many to draw; show fewer rows or use a line chart":
        "{bars} barras son demasiadas para dibujarlas; muestra menos filas o usa un gráfico de "
        "líneas",
    "I can't listen to voice messages here; please type instead.":
        "Aquí no puedo escuchar mensajes de voz; escríbelo, por favor.",
    "The model endpoint refused the request.": "El servidor del modelo rechazó la solicitud.",
    "The model endpoint refused our key; the operator needs to check it.":
        "El servidor del modelo rechazó nuestra clave; el operador tiene que revisarla.",
    "The model endpoint does not know the model {model}.":
        "El servidor del modelo no conoce el modelo {model}.",
    "The model endpoint answered with an error ({status}).":
        "El servidor del modelo respondió con un error ({status}).",
    "The model endpoint could not be reached.": "No se pudo conectar con el servidor del modelo.",
    "The model took too long to answer. Please try again in a moment.":
        "El modelo tardó demasiado en responder. Inténtalo de nuevo en un momento.",
    "The model service is busy (rate limited). Please try again in a minute.":
        "El servicio del modelo está saturado (límite de solicitudes). Inténtalo de nuevo en un "
        "minuto.",
    "I can't reach the model service right now. Please try again.":
        "Ahora mismo no puedo conectar con el servicio del modelo. Inténtalo de nuevo.",
    "The model service is having trouble. Please try again shortly.":
        "El servicio del modelo está teniendo problemas. Inténtalo de nuevo en breve.",
    "{tool} is not installed (Debian package util-linux)":
        "{tool} no está instalado (paquete de Debian util-linux)",
    "code mode needs Linux namespaces": "el modo código necesita los namespaces de Linux",
    "code mode needs root to create namespaces and switch to the sandbox user":
        "el modo código necesita root para crear namespaces y cambiar al usuario del sandbox",
    "the Python executable is unknown": "no se conoce el ejecutable de Python",
    "cannot read this process's namespaces: {reason}":
        "no se pueden leer los namespaces de este proceso: {reason}",
    "could not start the sandbox: {reason}": "no se pudo iniciar el sandbox: {reason}",
    "the sandbox could not start: {reason}": "el sandbox no pudo iniciarse: {reason}",
    "The sandbox did not start in time.": "El sandbox no se inició a tiempo.",
    "The chart code produced more than {size} MB of output.":
        "El código del gráfico produjo más de {size} MB de salida.",
    "The chart code took longer than {seconds} s.":
        "El código del gráfico tardó más de {seconds} s.",
    "The chart code failed: {error}": "El código del gráfico falló: {error}",
    "The chart code failed: unknown error": "El código del gráfico falló: error desconocido",
    "The chart code was stopped before it finished "
    "(it hit a CPU, memory, file or process limit).":
        "El código del gráfico se detuvo antes de terminar (alcanzó un límite de CPU, memoria, "
        "archivos o procesos).",
    "The chart code did not produce a PNG image.":
        "El código del gráfico no generó una imagen PNG.",
    "The chart code produced an image that is too large.":
        "El código del gráfico generó una imagen demasiado grande.",
    "The chart code produced a damaged PNG image.":
        "El código del gráfico generó una imagen PNG dañada.",
    "The chart code is longer than {size} KB.": "El código del gráfico ocupa más de {size} KB.",
    # The command menu.
    "What I do, with an example": "Qué hago, con un ejemplo",
    "Show the data table": "Mostrar la tabla de datos",
    "Send the table as a CSV file": "Enviar la tabla como archivo CSV",
    "Send the chart as PNG and SVG files": "Enviar el gráfico como archivos PNG y SVG",
    "Undo the last change": "Deshacer el último cambio",
    "Redo what was undone": "Rehacer lo que se deshizo",
    "Start over": "Empezar de cero",
    "Voice-note replies on or off": "Activar o desactivar las respuestas de voz",
    "Stop what I'm working on": "Detener lo que estoy haciendo",
    "I only act on new messages, so editing one changes nothing. Send the corrected request as "
    "a new message (/undo takes back what the first one did).":
        "Solo respondo a mensajes nuevos, así que editar uno no cambia nada. Manda la petición "
        "corregida como mensaje nuevo (/undo deshace lo que hizo el primero).",
    "Send the table as an Excel workbook": "Enviar la tabla como libro de Excel",
    "Your chart was changed elsewhere at the same moment. Please try again.":
        "Tu gráfico se cambió en otro lugar en ese mismo momento. Inténtalo de nuevo.",
    "How many model calls you have used today":
        "Cuántas llamadas al modelo has usado hoy",
    "Read the chart in an image":
        "Leer el gráfico de una imagen",
    "A chart: a photo or screenshot":
        "Un gráfico: una foto o captura de pantalla",
    "Discord wouldn't let me download that file. Please send it again.":
        "Discord no me dejó descargar ese archivo. Envíalo de nuevo, por favor.",
    # The read check: values two reads of a chart disagree on.
    "{row} · {column}: {shown} or {other}?":
        "{row} · {column}: ¿{shown} o {other}?",
    "… and {count} more, marked {mark} in /table.":
        "… y {count} más, marcados con {mark} en /table.",
    "I read the chart twice and got different values here; please check them against "
    "your picture (a button under the chart keeps the other value):\n"
    "{cells}":
        "Leí el gráfico dos veces y obtuve valores distintos aquí; compruébalos con tu "
        "imagen (un botón bajo el gráfico se queda con el otro valor):\n"
        "{cells}",
    "{mark} marks a value my two readings of the chart disagree on:\n"
    "{cells}":
        "{mark} marca un valor en el que mis dos lecturas del gráfico no coinciden:\n"
        "{cells}",
    "{row} · {column} → {value}":
        "{row} · {column} → {value}",
    "Kept {value} for {row} · {column}.":
        "Me quedo con {value} para {row} · {column}.",
    "Its value axis is logarithmic, so I drew it that way too.":
        "Su eje de valores es logarítmico, así que también lo dibujé así.",
    "One more value to check.":
        "Queda un valor más por comprobar.",
    "{count} more values to check.":
        "Quedan {count} valores más por comprobar.",
    # Edits and charts that fit: what changed, in numbers.
    "{rows} rows are too many to draw as bars, so this is a line chart; say “bar chart of the "
    "top 20” to see bars.":
        "{rows} filas son demasiadas para dibujarlas como barras, así que es un gráfico de "
        "líneas; di «gráfico de barras de los 20 primeros» para ver barras.",
    "{first} This shows the first {shown} of {count} value columns.":
        "{first} Se muestran las primeras {shown} de {count} columnas de valores.",
    "I couldn't draw the chart as it was ({reason}), so I drew one that fits; tell me what "
    "you'd like instead.":
        "No pude dibujar el gráfico como estaba ({reason}), así que dibujé uno que encaja; dime "
        "cuál prefieres.",
    "This shows the first {shown} of {count} value columns; tell me which ones you want to see.":
        "Se muestran las primeras {shown} de {count} columnas de valores; dime cuáles quieres "
        "ver.",
    "Added {count} row":
        "Añadida {count} fila",
    "Added {count} rows":
        "Añadidas {count} filas",
    "Removed {count} row":
        "Eliminada {count} fila",
    "Removed {count} rows":
        "Eliminadas {count} filas",
    "Removed {count} row where {condition}":
        "Eliminada {count} fila donde {condition}",
    "Removed {count} rows where {condition}":
        "Eliminadas {count} filas donde {condition}",
    "Kept {kept} row where {condition}, removed {count}":
        "Se conserva {kept} fila donde {condition}, eliminadas {count}",
    "Kept {kept} rows where {condition}, removed {count}":
        "Se conservan {kept} filas donde {condition}, eliminadas {count}",
    "Changed {count} value in “{column}”":
        "Cambiado {count} valor en «{column}»",
    "Changed {count} values in “{column}”":
        "Cambiados {count} valores en «{column}»",
    "Filled {count} empty cell in “{column}”":
        "Rellenada {count} celda vacía en «{column}»",
    "Filled {count} empty cells in “{column}”":
        "Rellenadas {count} celdas vacías en «{column}»",
    "Removed column {names}":
        "Eliminada la columna {names}",
    "Removed {count} columns: {names}":
        "Eliminadas {count} columnas: {names}",
    "Set {row} · {column} to {value} (was {old})":
        "{row} · {column} ahora es {value} (antes {old})",
    "Renamed row “{old}” to “{new}”":
        "Fila «{old}» renombrada a «{new}»",
    "Added column “{column}”":
        "Añadida la columna «{column}»",
    "Renamed column “{old}” to “{new}”":
        "Columna «{old}» renombrada a «{new}»",
    "Sorted rows by “{column}”, smallest first":
        "Filas ordenadas por «{column}», de menor a mayor",
    "Sorted rows by “{column}”, largest first":
        "Filas ordenadas por «{column}», de mayor a menor",
    "Swapped rows and columns":
        "Filas y columnas intercambiadas",
    "I kept your table ({summary}), but it has no column of numbers to draw. Tell me what to "
    "change, or /csv to get it back.":
        "He guardado tu tabla ({summary}), pero no tiene ninguna columna de números para "
        "dibujar. Dime qué cambiar, o usa /csv para recuperarla.",
    "There is no column of numbers left to draw; /table shows your data.":
        "No queda ninguna columna de números para dibujar; /table muestra tus datos.",
    "; ":
        "; ",
    "{changes}.":
        "{changes}.",
    # A pie chart's slice of the smallest values.
    "Other": "Otros",
    # The library: /charts, PDFs, questions across charts.
    "List your charts and pick one":
        "Ver tus gráficos y elegir uno",
    "Made from: {charts}.":
        "Hecho a partir de: {charts}.",
    "Now working on: {summary}":
        "Ahora trabajando en: {summary}",
    "I found nothing about that in your {count} charts. /charts lists them.":
        "No encontré nada sobre eso en tus {count} gráficos. /charts los muestra.",
    "None of your charts answers that, as far as I can tell. /charts lists them.":
        "Ninguno de tus gráficos responde a eso, hasta donde puedo ver. /charts los muestra.",
    "{file}: {pages} pages read, {count} charts found and added to your library:":
        "{file}: {pages} páginas leídas, {count} gráficos encontrados y añadidos a tu biblioteca:",
    "The last one is the current chart. Tap a number to work on another, or ask about all of them.":
        "El último es ahora el gráfico actual. Toca un número para trabajar en otro, o pregunta "
        "sobre todos.",
    "Pages too large to draw, skipped: {pages}.":
        "Páginas demasiado grandes para dibujarlas, omitidas: {pages}.",
    "Pages I couldn't read: {pages}.":
        "Páginas que no pude leer: {pages}.",
    "{reason} Pages not read: {pages}.":
        "{reason} Páginas sin leer: {pages}.",
    "I couldn't put those charts together. Name the charts and the columns, e.g. “put the 2023 "
    "columns of the sales and the costs charts side by side”.":
        "No pude combinar esos gráficos. Nombra los gráficos y las columnas, p. ej. «pon lado a "
        "lado las columnas de 2023 de los gráficos de ventas y de costes».",
    "That chart is no longer in your library.":
        "Ese gráfico ya no está en tu biblioteca.",
    "I looked at all {pages} pages of {file} and found no charts.":
        "Revisé las {pages} páginas de {file} y no encontré gráficos.",
    "page {page}":
        "página {page}",
    "untitled chart":
        "gráfico sin título",
    "an earlier chart":
        "un gráfico anterior",
    "“{title}” ({source})":
        "«{title}» ({source})",
    "{file}, page {page}":
        "{file}, página {page}",
    "your photo (message {id})":
        "tu foto (mensaje {id})",
    "your photo":
        "tu foto",
    "combined from {entries}":
        "combinado a partir de {entries}",
    "Your charts ({count}); tap a number to work on that chart:":
        "Tus gráficos ({count}); toca un número para trabajar en ese gráfico:",
    "• {result} — from {citation}":
        "• {result} — de {citation}",
    "That PDF is too big for me: the limit is {mb} MB.":
        "Ese PDF es demasiado grande para mí: el límite es de {mb} MB.",
    "That file is not a PDF I can read.":
        "Ese archivo no es un PDF que pueda leer.",
    "That PDF is damaged or not a PDF I can read.":
        "Ese PDF está dañado o no es un PDF que pueda leer.",
    "That PDF has no pages.":
        "Ese PDF no tiene páginas.",
    "That PDF has {pages} pages; I read at most {limit}. Send the pages with the charts as a "
    "shorter PDF.":
        "Ese PDF tiene {pages} páginas; leo como máximo {limit}. Envía las páginas con los "
        "gráficos en un PDF más corto.",
    "That PDF is encrypted or password-protected, so I can't read it. Send a copy without "
    "protection.":
        "Ese PDF está cifrado o protegido con contraseña, así que no puedo leerlo. Envía una "
        "copia sin protección.",
    "Page {page} of that PDF is too large to draw.":
        "La página {page} de ese PDF es demasiado grande para dibujarla.",
    "Reading {file}: page {page} of {pages}…":
        "Leyendo {file}: página {page} de {pages}…",
    "If that link is a chart picture, I'll read it as soon as Discord shows its preview. You can "
    "also attach the image.":
        "Si ese enlace es la imagen de un gráfico, la leeré en cuanto Discord muestre su vista "
        "previa. También puedes adjuntar la imagen.",
}
