"""German: the bot's own messages, keyed by the English text."""

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
        "Ich mache aus dem Foto eines Diagramms Daten, die du bearbeiten kannst.\n"
        "\n"
        "1. Schick mir ein Diagramm: ein Foto, einen Screenshot oder eine Bilddatei.\n"
        "2. Ich lese die Datentabelle aus und zeichne das Diagramm neu.\n"
        "3. Sag mir in deinen eigenen Worten, was ich ändern soll (oder schreib es in die "
        "Bildunterschrift):\n"
        "   • „mach ein Kreisdiagramm daraus“\n"
        "   • „absteigend sortieren“\n"
        "   • „füge 2024 = 50 hinzu“\n"
        "   • „was ist am stärksten gewachsen?“\n"
        "\n"
        "Befehle: /table zeigt die Daten, /csv schickt sie als Datei (/xlsx als "
        "Excel-Arbeitsmappe), /export schickt das "
        "Diagramm als PNG- und SVG-Datei, /undo und /redo springen in deinen Änderungen zurück "
        "und vor, /reset fängt von vorn an, /cancel bricht ab, woran ich gerade arbeite.",
    "Send me a chart photo first — then tell me what to change about it.":
        "Schick mir zuerst ein Foto von einem Diagramm – dann sag mir, was ich daran ändern soll.",
    "I can't reach my memory store right now, so I can't work on your chart. "
    "Nothing is lost — please try again in a minute.":
        "Ich komme gerade nicht an meinen Speicher, deshalb kann ich nicht an deinem Diagramm "
        "arbeiten. Es geht nichts verloren – bitte versuch es in einer Minute noch mal.",
    "Here is your data as a chart: {summary}. Tell me what to change.":
        "Hier sind deine Daten als Diagramm: {summary}. Sag mir, was ich ändern soll.",
    "Here is your chart again: {summary}. Tell me what to change.":
        "Hier ist dein Diagramm noch mal: {summary}. Sag mir, was ich ändern soll.",
    "I couldn't make out any words in that voice message.":
        "Ich konnte in dieser Sprachnachricht keine Worte verstehen.",
    "I couldn't find a chart with data in that picture. Send a clear, straight photo or "
    "screenshot of a bar, line or pie chart.":
        "Ich habe auf diesem Bild kein Diagramm mit Daten gefunden. Schick ein scharfes, gerade "
        "aufgenommenes Foto oder einen Screenshot eines Säulen-, Linien- oder Kreisdiagramms.",
    "I couldn't turn that into a change to your chart. Try saying it another way, "
    "e.g. “make it a line chart”.":
        "Daraus konnte ich keine Änderung an deinem Diagramm machen. Versuch es anders zu "
        "formulieren, z. B. „mach ein Liniendiagramm daraus“.",
    "Done.": "Erledigt.",
    "Nothing to undo.": "Es gibt nichts rückgängig zu machen.",
    "Undone.": "Rückgängig gemacht.",
    "Nothing to redo.": "Es gibt nichts wiederherzustellen.",
    "Redone.": "Wiederhergestellt.",
    "{done} There is no table now. {guide}": "{done} Jetzt gibt es keine Tabelle mehr. {guide}",
    "There is nothing to reset. {guide}": "Es gibt nichts zurückzusetzen. {guide}",
    "Cleared. Send a new chart photo (/undo brings the old one back).":
        "Alles gelöscht. Schick ein neues Diagrammfoto (/undo holt das alte zurück).",
    "Voice replies are on: answers also come as a voice note. /voice turns them off.":
        "Sprachantworten sind an: Antworten kommen jetzt auch als Sprachnachricht. /voice "
        "schaltet sie aus.",
    "Voice replies are on.": "Sprachantworten sind an.",
    "Voice replies are off.": "Sprachantworten sind aus.",
    "I can't draw that: {reason}.": "Das kann ich nicht zeichnen: {reason}.",
    "I can't draw that: {reason}. Your chart is unchanged.":
        "Das kann ich nicht zeichnen: {reason}. Dein Diagramm bleibt unverändert.",
    "{reason} Your chart is unchanged.": "{reason} Dein Diagramm bleibt unverändert.",
    "I couldn't work that out: {reason}.": "Das konnte ich nicht berechnen: {reason}.",
    "That button doesn't work any more.": "Dieser Button funktioniert nicht mehr.",
    "Stopped.": "Gestoppt.",
    "There is no chart now. {guide}": "Gerade gibt es kein Diagramm. {guide}",
    "That chart is out of date; use the buttons under the newest one.":
        "Dieses Diagramm ist veraltet; nutz die Buttons unter dem neuesten.",
    "Voice replies on.": "Sprachantworten an.",
    "Voice replies off.": "Sprachantworten aus.",
    "Sorted": "Sortiert",
    "Chart": "Diagramm",
    "Bar chart": "Säulendiagramm",
    "Horizontal bar chart": "Balkendiagramm",
    "Stacked bar chart": "Gestapeltes Säulendiagramm",
    "Line chart": "Liniendiagramm",
    "Area chart": "Flächendiagramm",
    "Stacked area chart": "Gestapeltes Flächendiagramm",
    "Scatter chart": "Streudiagramm",
    "Pie chart": "Kreisdiagramm",
    "Donut chart": "Ringdiagramm",
    "Bar and line chart": "Säulen-Linien-Diagramm",
    "📊 Bar": "📊 Säulen",
    "📈 Line": "📈 Linie",
    "🥧 Pie": "🥧 Kreis",
    "⇣ Sort": "⇣ Sortieren",
    "⇡ Sort": "⇡ Sortieren",
    "✕ Unsort": "✕ Unsortiert",
    "↶ Undo": "↶ Zurück",
    "📋 Table": "📋 Tabelle",
    "🔇 Voice off": "🔇 Sprache aus",
    "🔊 Voice": "🔊 Sprache",
    "The table is too big for a message: {summary}":
        "Die Tabelle ist zu groß für eine Nachricht: {summary}",
    "The chart at print size (PNG) and as an SVG whose text you can edit. /csv sends the data.":
        "Das Diagramm in Druckgröße (PNG) und als SVG mit bearbeitbarem Text. /csv schickt die "
        "Daten.",
    "{answer} (Rows used: {rows}.)": "{answer} (Verwendete Zeilen: {rows}.)",
    "all {count} rows": "alle {count} Zeilen",
    ", ": ", ",
    "{items} and {last}": "{items} und {last}",
    "{n}st": "{n}.",
    "{n}nd": "{n}.",
    "{n}rd": "{n}.",
    "{n}th": "{n}.",
    "The total of {column} is {value}.": "Die Summe von {column} ist {value}.",
    "The average of {column} is {value}.": "Der Durchschnitt von {column} ist {value}.",
    "The median of {column} is {value}.": "Der Median von {column} ist {value}.",
    "{labels} has the lowest {column}: {value}.":
        "Den niedrigsten Wert bei {column} hat {labels}: {value}.",
    "{labels} have the lowest {column}: {value}.":
        "Den niedrigsten Wert bei {column} haben {labels}: {value}.",
    "{labels} has the highest {column}: {value}.":
        "Den höchsten Wert bei {column} hat {labels}: {value}.",
    "{labels} have the highest {column}: {value}.":
        "Den höchsten Wert bei {column} haben {labels}: {value}.",
    "{column} has no values.": "{column} hat keine Werte.",
    "{column} has {count} value.": "{column} hat {count} Wert.",
    "{column} has {count} values.": "{column} hat {count} Werte.",
    "{column} has no values in the chosen rows.":
        "{column} hat in den ausgewählten Zeilen keine Werte.",
    "{column} has {count} value in the chosen rows.":
        "{column} hat in den ausgewählten Zeilen {count} Wert.",
    "{column} has {count} values in the chosen rows.":
        "{column} hat in den ausgewählten Zeilen {count} Werte.",
    "{column} ranges from {low} ({low_label}) to {high} ({high_label}), a spread of {spread}.":
        "{column} reicht von {low} ({low_label}) bis {high} ({high_label}), eine Spanne von "
        "{spread}.",
    "From {first} to {last}, {column} changed {change} (from {first_value} to {last_value}).":
        "Von {first} bis {last} hat sich {column} um {change} verändert (von {first_value} auf "
        "{last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "period (from {first_value} to {last_value}).":
        "Von {first} bis {last} hat sich {column} pro Periode um {change} verändert, mit "
        "Zinseszins über {steps} Periode gerechnet (von {first_value} auf {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} "
    "periods (from {first_value} to {last_value}).":
        "Von {first} bis {last} hat sich {column} pro Periode um {change} verändert, mit "
        "Zinseszins über {steps} Perioden gerechnet (von {first_value} auf {last_value}).",
    "{label} grew fastest: {change} (from {before} to {after}).":
        "{label} ist am stärksten gewachsen: {change} (von {before} auf {after}).",
    "{label} had the largest change: {change} (from {before} to {after}).":
        "{label} hat sich am stärksten verändert: {change} (von {before} auf {after}).",
    "{label} fell the most: {change} (from {before} to {after}).":
        "{label} ist am stärksten gefallen: {change} (von {before} auf {after}).",
    "{label} grew slowest: {change} (from {before} to {after}).":
        "{label} ist am langsamsten gewachsen: {change} (von {before} auf {after}).",
    "{labels} is {share}% of the total {column} ({part} of {total}).":
        "{labels} macht {share} % der Gesamtsumme von {column} aus ({part} von {total}).",
    "{labels} together are {share}% of the total {column} ({part} of {total}).":
        "{labels} machen zusammen {share} % der Gesamtsumme von {column} aus ({part} von {total}).",
    "In {column}, {a} and {b} are equal ({a_value} vs {b_value}).":
        "Bei {column} sind {a} und {b} gleich ({a_value} vs. {b_value}).",
    "{amount} percentage points": "{amount} Prozentpunkte",
    "In {column}, {a} is {amount} more than {b} ({a_value} vs {b_value}).":
        "Bei {column} liegt {a} um {amount} über {b} ({a_value} vs. {b_value}).",
    "In {column}, {a} is {amount} less than {b} ({a_value} vs {b_value}).":
        "Bei {column} liegt {a} um {amount} unter {b} ({a_value} vs. {b_value}).",
    "In {column}, {a} is {ratio} times {b} ({a_value} vs {b_value}).":
        "Bei {column} ist {a} das {ratio}-Fache von {b} ({a_value} vs. {b_value}).",
    "{label} ranks {place} of {count} by {column} ({value}).":
        "Nach {column} liegt {label} auf dem {place} Platz von {count} ({value}).",
    "{label} ranks {place} (tied) of {count} by {column} ({value}).":
        "Nach {column} teilt sich {label} den {place} Platz von {count} ({value}).",
    "the result is too large to compute": "das Ergebnis ist zu groß, um es zu berechnen",
    "the result is too large to show": "das Ergebnis ist zu groß, um es anzuzeigen",
    "the table has no column of numbers": "die Tabelle hat keine Spalte mit Zahlen",
    "there is no column called “{name}”": "es gibt keine Spalte namens „{name}“",
    "the column “{name}” does not hold numbers": "die Spalte „{name}“ enthält keine Zahlen",
    "there is no row called “{label}”": "es gibt keine Zeile namens „{label}“",
    "there are no {column} values in the table": "die Tabelle enthält keine Werte für {column}",
    "there are no {column} values in the chosen rows":
        "die ausgewählten Zeilen enthalten keine Werte für {column}",
    "growth needs at least two rows with {column} values":
        "für das Wachstum braucht es mindestens zwei Zeilen mit Werten für {column}",
    "compound growth needs at least two rows with {column} values":
        "für Wachstum mit Zinseszins braucht es mindestens zwei Zeilen mit Werten für {column}",
    "growth from “{label}” cannot be computed: its value is 0":
        "das Wachstum ab „{label}“ lässt sich nicht berechnen: der Wert dort ist 0",
    "compound growth needs positive values at the start and end":
        "für Wachstum mit Zinseszins müssen Anfangs- und Endwert positiv sein",
    "a change from row to row needs at least two rows of {column}":
        "für die Veränderung von Zeile zu Zeile braucht es mindestens zwei Zeilen mit {column}",
    "no change can be computed: every previous {column} value is 0 or missing":
        "es lässt sich keine Veränderung berechnen: jeder vorherige Wert von {column} ist 0 oder "
        "fehlt",
    "a share needs at least one row": "für einen Anteil braucht es mindestens eine Zeile",
    "the total of {column} is 0, so there are no shares":
        "die Summe von {column} ist 0, also gibt es keine Anteile",
    "a difference needs exactly two rows": "für eine Differenz braucht es genau zwei Zeilen",
    "a ratio needs exactly two rows": "für ein Verhältnis braucht es genau zwei Zeilen",
    "cannot divide by “{label}”: its {column} value is 0":
        "durch „{label}“ lässt sich nicht teilen: der Wert von {column} dort ist 0",
    "“{label}” has no {column} value": "„{label}“ hat keinen Wert für {column}",
    "a rank needs exactly one row": "für eine Platzierung braucht es genau eine Zeile",
    # Telegram: access, limits, progress, stopping, voice.
    "Still working on it — the model is taking its time. /cancel stops it.":
        "Ich arbeite noch daran – das Modell lässt sich Zeit. /cancel bricht ab.",
    "Still reading your chart — the model is taking its time. /cancel stops it.":
        "Ich lese dein Diagramm noch – das Modell lässt sich Zeit. /cancel bricht ab.",
    "Sorry, something went wrong on my side. Your data is safe; please try again.":
        "Tut mir leid, bei mir ist etwas schiefgelaufen. Deine Daten sind sicher; bitte versuch "
        "es noch mal.",
    "⏹ Stop": "⏹ Stopp",
    "I work with charts: send me a photo or screenshot of one, then tell me what to change. "
    "/help shows examples.":
        "Ich arbeite mit Diagrammen: Schick mir ein Foto oder einen Screenshot eines Diagramms "
        "und sag mir dann, was ich ändern soll. /help zeigt Beispiele.",
    "I can read charts from photos, image files (PNG, JPEG, WebP, GIF, BMP) and PDFs, and "
    "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.":
        "Ich kann Diagramme aus Fotos, Bilddateien (PNG, JPEG, WebP, GIF, BMP) und PDFs lesen "
        "und Tabellen aus CSV- oder XLSX-Dateien. Schick einen Screenshot oder ein Foto des "
        "Diagramms.",
    "That voice message is too long for me; please keep it under two minutes.":
        "Diese Sprachnachricht ist mir zu lang; bitte bleib unter zwei Minuten.",
    "Telegram wouldn't let me download that file (it may be too big). Send a smaller one.":
        "Telegram lässt mich diese Datei nicht herunterladen (vielleicht ist sie zu groß). Schick "
        "eine kleinere.",
    "Sorry, this bot is private. Ask its owner for access.":
        "Tut mir leid, dieser Bot ist privat. Frag seinen Besitzer nach Zugang.",
    "Today you have used {used} of {limit} model calls.":
        "Du hast heute {used} von {limit} Modellaufrufen genutzt.",
    "Today you have used {used} of unlimited model calls.":
        "Du hast heute {used} Modellaufrufe genutzt (unbegrenzt).",
    "Usage figures are unavailable right now; please try again soon.":
        "Die Nutzungszahlen sind gerade nicht verfügbar; bitte versuch es gleich noch mal.",
    "You've sent a lot of messages; try again in {wait}.":
        "Du hast sehr viele Nachrichten geschickt; versuch es in {wait} noch mal.",
    "You've used today's {n} chart request; it resets in {wait}.":
        "Du hast deine {n} Diagrammanfrage für heute verbraucht; das Limit wird in {wait} "
        "zurückgesetzt.",
    "You've used today's {n} chart requests; it resets in {wait}.":
        "Du hast deine {n} Diagrammanfragen für heute verbraucht; das Limit wird in {wait} "
        "zurückgesetzt.",
    "Usage on {date} (UTC; the day resets in {wait})":
        "Nutzung am {date} (UTC; der Tag wird in {wait} zurückgesetzt)",
    "Model calls: {calls} by {people} ({limit}).": "Modellaufrufe: {calls} von {people} ({limit}).",
    "Used up their budget: {people}. Hit the message limit: {times} today.":
        "Kontingent aufgebraucht: {people}. Nachrichtenlimit erreicht: heute {times}.",
    "limit {n} a day each": "Limit {n} pro Tag und Person",
    "no daily limit": "kein Tageslimit",
    "… and {count} more.": "… und {count} weitere.",
    "{user}: {calls} today, {messages} this minute":
        "{user}: heute {calls}, in dieser Minute {messages}",
    "{user} (admin): {calls} today, {messages} this minute":
        "{user} (Admin): heute {calls}, in dieser Minute {messages}",
    "{n} person": "{n} Person",
    "{n} people": "{n} Personen",
    "{n} time": "{n} Mal",
    "{n} times": "{n} Mal",
    "{n} model call": "{n} Modellaufruf",
    "{n} model calls": "{n} Modellaufrufe",
    "{n} message": "{n} Nachricht",
    "{n} messages": "{n} Nachrichten",
    "{n} second": "{n} Sekunde",
    "{n} seconds": "{n} Sekunden",
    "{minutes} min": "{minutes} Min.",
    "{hours} h": "{hours} Std.",
    "{hours} h {minutes} min": "{hours} Std. {minutes} Min.",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it.":
        "Zu spät, um meine letzte Antwort zu stoppen: Sie ist schon unterwegs. /undo nimmt sie "
        "zurück, wenn du sie nicht willst.",
    "Too late to stop my last answer: it is already on its way. "
    "/undo takes it back if you don't want it. The messages you sent after it were dropped.":
        "Zu spät, um meine letzte Antwort zu stoppen: Sie ist schon unterwegs. /undo nimmt sie "
        "zurück, wenn du sie nicht willst. Die Nachrichten, die du danach geschickt hast, wurden "
        "verworfen.",
    "Stopped. Your table and chart are as they were.":
        "Gestoppt. Deine Tabelle und dein Diagramm sind unverändert.",
    "Nothing to stop: I'm not working on anything for this chat.":
        "Nichts zu stoppen: Ich arbeite gerade an nichts für diesen Chat.",
    "I couldn't make a voice note just now; the answer is in the text above.":
        "Ich konnte gerade keine Sprachnachricht erstellen; die Antwort steht oben im Text.",
    "There is nothing to read aloud in this answer.":
        "In dieser Antwort gibt es nichts vorzulesen.",
    # Photos, table files, model answers, charts, code mode.
    "That image file looks damaged or incomplete, so I can't read it. "
    "Try sending it again, or send a screenshot of the chart.":
        "Diese Bilddatei scheint beschädigt oder unvollständig zu sein, deshalb kann ich sie "
        "nicht lesen. Schick sie noch mal oder schick einen Screenshot des Diagramms.",
    "an SVG drawing": "eine SVG-Zeichnung",
    "a PDF": "ein PDF",
    "a HEIC photo": "ein HEIC-Foto",
    "a HEIF photo": "ein HEIF-Foto",
    "an AVIF image": "ein AVIF-Bild",
    "a TIFF image": "ein TIFF-Bild",
    "a ZIP archive": "ein ZIP-Archiv",
    "a video": "ein Video",
    "a text file": "eine Textdatei",
    "that kind of file ({mime})": "diesen Dateityp ({mime})",
    "that kind of file": "diesen Dateityp",
    "I can't read {kind}. Send it as a photo rather than as a file, "
    "or as a PNG, JPEG, WebP, GIF or BMP image.":
        "Ich kann {kind} nicht lesen. Schick es als Foto statt als Datei oder als PNG-, JPEG-, "
        "WebP-, GIF- oder BMP-Bild.",
    "I can't read {kind}. Send the chart as a PNG, JPEG, WebP, GIF or BMP image; "
    "a screenshot works.":
        "Ich kann {kind} nicht lesen. Schick das Diagramm als PNG-, JPEG-, WebP-, GIF- oder "
        "BMP-Bild; ein Screenshot geht auch.",
    "That file is empty. Send the chart as a PNG, JPEG, WebP, GIF or BMP image.":
        "Diese Datei ist leer. Schick das Diagramm als PNG-, JPEG-, WebP-, GIF- oder BMP-Bild.",
    "That file is {size}; I can read images up to {limit}. "
    "Send a screenshot or a smaller photo.":
        "Diese Datei ist {size} groß; ich kann Bilder bis {limit} lesen. Schick einen Screenshot "
        "oder ein kleineres Foto.",
    "That image is {width}×{height} pixels ({megapixels} megapixels); "
    "I can read images up to {limit} megapixels. Send a screenshot or a smaller copy.":
        "Dieses Bild hat {width}×{height} Pixel ({megapixels} Megapixel); ich kann Bilder bis "
        "{limit} Megapixel lesen. Schick einen Screenshot oder eine verkleinerte Kopie.",
    "That image has far too many pixels for me to read; I can read images up to "
    "{limit} megapixels. Send a screenshot or a smaller copy.":
        "Dieses Bild hat viel zu viele Pixel für mich; ich kann Bilder bis {limit} Megapixel "
        "lesen. Schick einen Screenshot oder eine verkleinerte Kopie.",
    "That image is only {width}×{height} pixels, too small to read. "
    "Send a larger screenshot of the chart.":
        "Dieses Bild hat nur {width}×{height} Pixel, zu klein zum Lesen. Schick einen größeren "
        "Screenshot des Diagramms.",
    "That image has too much fine detail to send to the model, even shrunk. "
    "Send a screenshot cropped to just the chart.":
        "Dieses Bild hat selbst verkleinert zu viele feine Details, um es ans Modell zu schicken. "
        "Schick einen Screenshot, der nur das Diagramm zeigt.",
    "I can't read old Excel .xls files. Save it as .xlsx or .csv and send it again.":
        "Alte Excel-Dateien (.xls) kann ich nicht lesen. Speichere die Datei als .xlsx oder .csv "
        "und schick sie noch mal.",
    "I can't read OpenDocument .ods files. Save it as .xlsx or .csv and send it again.":
        "OpenDocument-Dateien (.ods) kann ich nicht lesen. Speichere die Datei als .xlsx oder "
        ".csv und schick sie noch mal.",
    "I can't read Apple Numbers files. Save it as .xlsx or .csv and send it again.":
        "Apple-Numbers-Dateien kann ich nicht lesen. Speichere die Datei als .xlsx oder .csv und "
        "schick sie noch mal.",
    "I couldn't read that file as a table. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Ich konnte diese Datei nicht als Tabelle lesen. Speichere sie als .csv (UTF-8) oder "
        ".xlsx und schick sie noch mal.",
    "That doesn't look like a valid .xlsx file. "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Das sieht nicht nach einer gültigen .xlsx-Datei aus. Speichere sie als .csv (UTF-8) oder "
        ".xlsx und schick sie noch mal.",
    "That file is empty. Send a CSV or XLSX file with a header row and some data.":
        "Diese Datei ist leer. Schick eine CSV- oder XLSX-Datei mit einer Kopfzeile und ein paar "
        "Daten.",
    "That file is {size} MB; I can read table files up to {limit} MB. "
    "Send a smaller CSV or XLSX file.":
        "Diese Datei ist {size} MB groß; ich kann Tabellendateien bis {limit} MB lesen. Schick "
        "eine kleinere CSV- oder XLSX-Datei.",
    "That Excel file seems to be password-protected. Remove the password "
    "(or save it as .csv) and send it again.":
        "Diese Excel-Datei scheint passwortgeschützt zu sein. Entferne das Passwort (oder "
        "speichere sie als .csv) und schick sie noch mal.",
    "That file has a header row but no data rows. Add some data and send it again.":
        "Diese Datei hat eine Kopfzeile, aber keine Datenzeilen. Füg ein paar Daten hinzu und "
        "schick sie noch mal.",
    "That table has more than {limit} rows; I can take at most {limit}. "
    "Trim it and send it again.":
        "Diese Tabelle hat mehr als {limit} Zeilen; ich kann höchstens {limit} verarbeiten. Kürze "
        "sie und schick sie noch mal.",
    "That table has {count} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "Diese Tabelle hat {count} Spalten; ich kann höchstens {limit} verarbeiten. Entferne ein "
        "paar Spalten und schick sie noch mal.",
    "That table has more than {limit} columns; I can take at most {limit}. "
    "Remove some columns and send it again.":
        "Diese Tabelle hat mehr als {limit} Spalten; ich kann höchstens {limit} verarbeiten. "
        "Entferne ein paar Spalten und schick sie noch mal.",
    "I couldn't use that table: {reason}. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Diese Tabelle konnte ich nicht verwenden: {reason}. Speichere sie als .csv (UTF-8) oder "
        ".xlsx und schick sie noch mal.",
    "That text file doesn't look like a table: I need columns separated by commas, "
    "semicolons, tabs or |. Send a .csv or .xlsx file.":
        "Diese Textdatei sieht nicht nach einer Tabelle aus: Ich brauche Spalten, die durch "
        "Kommas, Semikolons, Tabs oder | getrennt sind. Schick eine .csv- oder .xlsx-Datei.",
    "That file doesn't look like a text table (CSV). "
    "Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Diese Datei sieht nicht nach einer Texttabelle (CSV) aus. Speichere sie als .csv (UTF-8) "
        "oder .xlsx und schick sie noch mal.",
    "That .xlsx file unpacks to far more data than a table needs, so I won't open it. "
    "Send a smaller sheet or save it as .csv.":
        "Diese .xlsx-Datei entpackt sich zu weit mehr Daten, als eine Tabelle braucht, deshalb "
        "öffne ich sie nicht. Schick ein kleineres Tabellenblatt oder speichere sie als .csv.",
    "That workbook has no data in any sheet. Send a file with a header row and some data.":
        "Diese Arbeitsmappe hat in keinem Tabellenblatt Daten. Schick eine Datei mit einer "
        "Kopfzeile und ein paar Daten.",
    "the table has no columns": "die Tabelle hat keine Spalten",
    "the table has no rows": "die Tabelle hat keine Zeilen",
    "a table needs at least one column": "eine Tabelle braucht mindestens eine Spalte",
    "a table may have at most {limit} columns": "eine Tabelle darf höchstens {limit} Spalten haben",
    "a table may have at most {limit} rows": "eine Tabelle darf höchstens {limit} Zeilen haben",
    "row {row} has {cells} cells but there are {width} columns":
        "Zeile {row} hat {cells} Zellen, aber es gibt {width} Spalten",
    "row {row} holds a number that is not finite":
        "Zeile {row} enthält eine Zahl, die nicht endlich ist",
    "row {row} holds a cell longer than {limit} chars":
        "Zeile {row} enthält eine Zelle mit mehr als {limit} Zeichen",
    "{count} row": "{count} Zeile",
    "{count} rows": "{count} Zeilen",
    "{count} column": "{count} Spalte",
    "{count} columns": "{count} Spalten",
    "“{title}”: {rows} × {columns} ({names})": "„{title}“: {rows} × {columns} ({names})",
    "{rows} × {columns} ({names})": "{rows} × {columns} ({names})",
    "The answer is empty.": "Die Antwort ist leer.",
    "some cells could not be read": "einige Zellen konnten nicht gelesen werden",
    "The table in the answer could not be used: {problem}.":
        "Die Tabelle in der Antwort war nicht verwendbar: {problem}.",
    "No data table found in the answer.": "In der Antwort wurde keine Datentabelle gefunden.",
    "column “{name}” does not hold numbers": "die Spalte „{name}“ enthält keine Zahlen",
    "the table has no column of numbers to draw":
        "die Tabelle hat keine Spalte mit Zahlen, die sich zeichnen lässt",
    "a pie chart cannot show negative numbers":
        "ein Kreisdiagramm kann keine negativen Zahlen darstellen",
    "a pie chart needs at least one positive number":
        "ein Kreisdiagramm braucht mindestens eine positive Zahl",
    "a log scale needs every value above zero":
        "bei einer logarithmischen Skala müssen alle Werte über null liegen",
    "the axis minimum must be below its maximum":
        "das Minimum der Achse muss unter ihrem Maximum liegen",
    "a bar-and-line chart needs two columns of numbers":
        "ein Säulen-Linien-Diagramm braucht zwei Spalten mit Zahlen",
    "{bars} bars are too many to draw; show fewer rows or use a line chart":
        "{bars} Balken sind zu viele zum Zeichnen; zeig weniger Zeilen an oder nimm ein "
        "Liniendiagramm",
    "I can't listen to voice messages here; please type instead.":
        "Sprachnachrichten kann ich hier nicht anhören; bitte schreib stattdessen.",
    "The model endpoint refused the request.": "Der Modell-Endpunkt hat die Anfrage abgelehnt.",
    "The model endpoint refused our key; the operator needs to check it.":
        "Der Modell-Endpunkt hat unseren Schlüssel abgelehnt; der Betreiber muss ihn prüfen.",
    "The model endpoint does not know the model {model}.":
        "Der Modell-Endpunkt kennt das Modell {model} nicht.",
    "The model endpoint answered with an error ({status}).":
        "Der Modell-Endpunkt hat mit einem Fehler geantwortet ({status}).",
    "The model endpoint could not be reached.": "Der Modell-Endpunkt war nicht erreichbar.",
    "The model took too long to answer. Please try again in a moment.":
        "Das Modell hat zu lange für die Antwort gebraucht. Bitte versuch es gleich noch mal.",
    "The model service is busy (rate limited). Please try again in a minute.":
        "Der Modelldienst ist ausgelastet (Anfragelimit erreicht). Bitte versuch es in einer "
        "Minute noch mal.",
    "I can't reach the model service right now. Please try again.":
        "Ich erreiche den Modelldienst gerade nicht. Bitte versuch es noch mal.",
    "The model service is having trouble. Please try again shortly.":
        "Der Modelldienst hat gerade Probleme. Bitte versuch es gleich noch mal.",
    "{tool} is not installed (Debian package util-linux)":
        "{tool} ist nicht installiert (Debian-Paket util-linux)",
    "code mode needs Linux namespaces": "der Code-Modus braucht Linux-Namespaces",
    "code mode needs root to create namespaces and switch to the sandbox user":
        "der Code-Modus braucht Root-Rechte, um Namespaces anzulegen und zum Sandbox-Benutzer zu "
        "wechseln",
    "the Python executable is unknown": "die ausführbare Python-Datei ist unbekannt",
    "cannot read this process's namespaces: {reason}":
        "die Namespaces dieses Prozesses lassen sich nicht lesen: {reason}",
    "could not start the sandbox: {reason}": "die Sandbox ließ sich nicht starten: {reason}",
    "the sandbox could not start: {reason}": "die Sandbox konnte nicht starten: {reason}",
    "The sandbox did not start in time.": "Die Sandbox ist nicht rechtzeitig gestartet.",
    "The chart code produced more than {size} MB of output.":
        "Der Diagrammcode hat mehr als {size} MB Ausgabe erzeugt.",
    "The chart code took longer than {seconds} s.":
        "Der Diagrammcode hat länger als {seconds} s gebraucht.",
    "The chart code failed: {error}": "Der Diagrammcode ist fehlgeschlagen: {error}",
    "The chart code failed: unknown error":
        "Der Diagrammcode ist fehlgeschlagen: unbekannter Fehler",
    "The chart code was stopped before it finished "
    "(it hit a CPU, memory, file or process limit).":
        "Der Diagrammcode wurde gestoppt, bevor er fertig war (er hat ein CPU-, Speicher-, Datei- "
        "oder Prozesslimit erreicht).",
    "The chart code did not produce a PNG image.": "Der Diagrammcode hat kein PNG-Bild erzeugt.",
    "The chart code produced an image that is too large.":
        "Der Diagrammcode hat ein zu großes Bild erzeugt.",
    "The chart code produced a damaged PNG image.":
        "Der Diagrammcode hat ein beschädigtes PNG-Bild erzeugt.",
    "The chart code is longer than {size} KB.": "Der Diagrammcode ist länger als {size} KB.",
    # The command menu.
    "What I do, with an example": "Was ich kann, mit Beispiel",
    "Show the data table": "Datentabelle anzeigen",
    "Send the table as a CSV file": "Tabelle als CSV-Datei senden",
    "Send the chart as PNG and SVG files": "Diagramm als PNG- und SVG-Datei senden",
    "Undo the last change": "Letzte Änderung rückgängig machen",
    "Redo what was undone": "Rückgängig Gemachtes wiederherstellen",
    "Start over": "Von vorn beginnen",
    "Voice-note replies on or off": "Sprachantworten an oder aus",
    "Stop what I'm working on": "Abbrechen, woran ich gerade arbeite",
    "I only act on new messages, so editing one changes nothing. Send the corrected request as "
    "a new message (/undo takes back what the first one did).":
        "Ich reagiere nur auf neue Nachrichten, deshalb ändert das Bearbeiten einer Nachricht "
        "nichts. Schick die korrigierte Anfrage als neue Nachricht (/undo nimmt zurück, was die "
        "erste bewirkt hat).",
    "Send the table as an Excel workbook": "Die Tabelle als Excel-Arbeitsmappe schicken",
    "Your chart was changed elsewhere at the same moment. Please try again.":
        "Dein Diagramm wurde im selben Moment anderswo geändert. Bitte versuch es noch einmal.",
    "How many model calls you have used today":
        "Wie viele Modellaufrufe du heute verbraucht hast",
    "Read the chart in an image":
        "Das Diagramm in einem Bild lesen",
    "A chart: a photo or screenshot":
        "Ein Diagramm: ein Foto oder Screenshot",
    "Discord wouldn't let me download that file. Please send it again.":
        "Discord hat mich diese Datei nicht herunterladen lassen. Bitte schick sie noch einmal.",
    # The read check: values two reads of a chart disagree on.
    "{row} · {column}: {shown} or {other}?":
        "{row} · {column}: {shown} oder {other}?",
    "… and {count} more, marked {mark} in /table.":
        "… und {count} weitere, in /table mit {mark} markiert.",
    "I read the chart twice and got different values here; please check them against "
    "your picture (a button under the chart keeps the other value):\n"
    "{cells}":
        "Ich habe das Diagramm zweimal gelesen und hier verschiedene Werte bekommen; bitte "
        "vergleich sie mit deinem Bild (ein Knopf unter dem Diagramm übernimmt den anderen "
        "Wert):\n"
        "{cells}",
    "{mark} marks a value my two readings of the chart disagree on:\n"
    "{cells}":
        "{mark} markiert einen Wert, bei dem meine zwei Lesungen des Diagramms nicht "
        "übereinstimmen:\n"
        "{cells}",
    "{row} · {column} → {value}":
        "{row} · {column} → {value}",
    "Kept {value} for {row} · {column}.":
        "{value} für {row} · {column} übernommen.",
    "Its value axis is logarithmic, so I drew it that way too.":
        "Die Werteachse ist logarithmisch, deshalb habe ich sie auch so gezeichnet.",
    "One more value to check.":
        "Noch ein Wert zu prüfen.",
    "{count} more values to check.":
        "Noch {count} Werte zu prüfen.",
    # Edits and charts that fit: what changed, in numbers.
    "{rows} rows are too many to draw as bars, so this is a line chart; say “bar chart of the "
    "top 20” to see bars.":
        "{rows} Zeilen sind zu viele für Balken, daher ist es ein Liniendiagramm; sag "
        "„Balkendiagramm der Top 20“, um Balken zu sehen.",
    "{first} This shows the first {shown} of {count} value columns.":
        "{first} Gezeigt werden die ersten {shown} von {count} Wertespalten.",
    "I couldn't draw the chart as it was ({reason}), so I drew one that fits; tell me what "
    "you'd like instead.":
        "Ich konnte das Diagramm nicht wie bisher zeichnen ({reason}), daher habe ich eines "
        "gezeichnet, das passt; sag mir, wie du es möchtest.",
    "This shows the first {shown} of {count} value columns; tell me which ones you want to see.":
        "Gezeigt werden die ersten {shown} von {count} Wertespalten; sag mir, welche du sehen "
        "möchtest.",
    "Added {count} row":
        "{count} Zeile hinzugefügt",
    "Added {count} rows":
        "{count} Zeilen hinzugefügt",
    "Removed {count} row":
        "{count} Zeile entfernt",
    "Removed {count} rows":
        "{count} Zeilen entfernt",
    "Removed {count} row where {condition}":
        "{count} Zeile entfernt, wo {condition}",
    "Removed {count} rows where {condition}":
        "{count} Zeilen entfernt, wo {condition}",
    "Kept {kept} row where {condition}, removed {count}":
        "{kept} Zeile behalten, wo {condition}, {count} entfernt",
    "Kept {kept} rows where {condition}, removed {count}":
        "{kept} Zeilen behalten, wo {condition}, {count} entfernt",
    "Changed {count} value in “{column}”":
        "{count} Wert in „{column}“ geändert",
    "Changed {count} values in “{column}”":
        "{count} Werte in „{column}“ geändert",
    "Filled {count} empty cell in “{column}”":
        "{count} leere Zelle in „{column}“ gefüllt",
    "Filled {count} empty cells in “{column}”":
        "{count} leere Zellen in „{column}“ gefüllt",
    "Removed column {names}":
        "Spalte {names} entfernt",
    "Removed {count} columns: {names}":
        "{count} Spalten entfernt: {names}",
    "Set {row} · {column} to {value} (was {old})":
        "{row} · {column} ist jetzt {value} (vorher {old})",
    "Renamed row “{old}” to “{new}”":
        "Zeile „{old}“ in „{new}“ umbenannt",
    "Added column “{column}”":
        "Spalte „{column}“ hinzugefügt",
    "Renamed column “{old}” to “{new}”":
        "Spalte „{old}“ in „{new}“ umbenannt",
    "Sorted rows by “{column}”, smallest first":
        "Zeilen nach „{column}“ sortiert, kleinste zuerst",
    "Sorted rows by “{column}”, largest first":
        "Zeilen nach „{column}“ sortiert, größte zuerst",
    "Swapped rows and columns":
        "Zeilen und Spalten vertauscht",
    "I kept your table ({summary}), but it has no column of numbers to draw. Tell me what to "
    "change, or /csv to get it back.":
        "Ich habe deine Tabelle behalten ({summary}), aber sie hat keine Spalte mit Zahlen zum "
        "Zeichnen. Sag mir, was ich ändern soll, oder hol sie mit /csv zurück.",
    "There is no column of numbers left to draw; /table shows your data.":
        "Es ist keine Spalte mit Zahlen zum Zeichnen mehr übrig; /table zeigt deine Daten.",
    "; ":
        "; ",
    "{changes}.":
        "{changes}.",
    # A pie chart's slice of the smallest values.
    "Other": "Sonstige",
    # The library: /charts, PDFs, questions across charts.
    "List your charts and pick one":
        "Deine Diagramme auflisten und eins auswählen",
    "Made from: {charts}.":
        "Erstellt aus: {charts}.",
    "Now working on: {summary}":
        "Jetzt in Arbeit: {summary}",
    "I found nothing about that in your {count} charts. /charts lists them.":
        "Dazu habe ich in deinen {count} Diagrammen nichts gefunden. /charts listet sie auf.",
    "None of your charts answers that, as far as I can tell. /charts lists them.":
        "Soweit ich sehe, beantwortet keins deiner Diagramme das. /charts listet sie auf.",
    "{file}: {pages} pages read, {count} charts found and added to your library:":
        "{file}: {pages} Seiten gelesen, {count} Diagramme gefunden und zu deiner Sammlung "
        "hinzugefügt:",
    "The last one is the current chart. Tap a number to work on another, or ask about all of them.":
        "Das letzte ist jetzt das aktuelle Diagramm. Tippe auf eine Nummer, um an einem anderen "
        "zu arbeiten, oder frag nach allen.",
    "Pages too large to draw, skipped: {pages}.":
        "Zu große Seiten, übersprungen: {pages}.",
    "Pages I couldn't read: {pages}.":
        "Seiten, die ich nicht lesen konnte: {pages}.",
    "{reason} Pages not read: {pages}.":
        "{reason} Nicht gelesene Seiten: {pages}.",
    "I couldn't put those charts together. Name the charts and the columns, e.g. “put the 2023 "
    "columns of the sales and the costs charts side by side”.":
        "Ich konnte diese Diagramme nicht zusammenführen. Nenn die Diagramme und die Spalten, z. "
        "B. „stell die 2023-Spalten des Umsatz- und des Kostendiagramms nebeneinander“.",
    "That chart is no longer in your library.":
        "Dieses Diagramm ist nicht mehr in deiner Sammlung.",
    "I looked at all {pages} pages of {file} and found no charts.":
        "Ich habe alle {pages} Seiten von {file} angesehen und keine Diagramme gefunden.",
    "page {page}":
        "Seite {page}",
    "untitled chart":
        "Diagramm ohne Titel",
    "an earlier chart":
        "ein früheres Diagramm",
    "“{title}” ({source})":
        "„{title}“ ({source})",
    "{file}, page {page}":
        "{file}, Seite {page}",
    "your photo (message {id})":
        "dein Foto (Nachricht {id})",
    "your photo":
        "dein Foto",
    "combined from {entries}":
        "zusammengesetzt aus {entries}",
    "Your charts ({count}); tap a number to work on that chart:":
        "Deine Diagramme ({count}); tippe auf eine Nummer, um an diesem Diagramm zu arbeiten:",
    "• {result} — from {citation}":
        "• {result} — aus {citation}",
    "That PDF is too big for me: the limit is {mb} MB.":
        "Diese PDF ist mir zu groß: Die Grenze liegt bei {mb} MB.",
    "That file is not a PDF I can read.":
        "Diese Datei ist keine PDF, die ich lesen kann.",
    "That PDF is damaged or not a PDF I can read.":
        "Diese PDF ist beschädigt oder keine PDF, die ich lesen kann.",
    "That PDF has no pages.":
        "Diese PDF hat keine Seiten.",
    "That PDF has {pages} pages; I read at most {limit}. Send the pages with the charts as a "
    "shorter PDF.":
        "Diese PDF hat {pages} Seiten; ich lese höchstens {limit}. Schick die Seiten mit den "
        "Diagrammen als kürzere PDF.",
    "That PDF is encrypted or password-protected, so I can't read it. Send a copy without "
    "protection.":
        "Diese PDF ist verschlüsselt oder passwortgeschützt, deshalb kann ich sie nicht lesen. "
        "Schick eine Kopie ohne Schutz.",
    "Page {page} of that PDF is too large to draw.":
        "Seite {page} dieser PDF ist zu groß zum Zeichnen.",
    "Reading {file}: page {page} of {pages}…":
        "Ich lese {file}: Seite {page} von {pages}…",
    "If that link is a chart picture, I'll read it as soon as Discord shows its preview. You can "
    "also attach the image.":
        "Wenn dieser Link ein Diagrammbild ist, lese ich es, sobald Discord die Vorschau zeigt. "
        "Du kannst das Bild auch anhängen.",
}
