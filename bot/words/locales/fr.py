"""French: the bot's own messages, keyed by the English text."""

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
        "Je transforme la photo d'un graphique en données modifiables.\n"
        "\n"
        "1. Envoyez-moi un graphique : une photo, une capture d'écran ou un fichier image.\n"
        "2. Je lis son tableau de données et je redessine le graphique.\n"
        "3. Dites-moi ce qu'il faut changer, avec vos propres mots (ou dans la légende de la "
        "photo) :\n"
        "   • « transforme-le en camembert »\n"
        "   • « trie par ordre décroissant »\n"
        "   • « ajoute 2024 = 50 »\n"
        "   • « qu'est-ce qui a le plus progressé ? »\n"
        "\n"
        "Commandes : /table affiche les données, /csv les envoie sous forme de fichier (/xlsx sous "
        "forme de classeur Excel), /export "
        "envoie le graphique en fichiers PNG et SVG, /undo et /redo annulent ou rétablissent vos "
        "modifications, /reset recommence à zéro, /cancel arrête ce que je suis en train de faire.",
    "Send me a chart photo first — then tell me what to change about it.":
        "Envoyez-moi d'abord la photo d'un graphique, puis dites-moi ce qu'il faut y changer.",
    "I can't reach my memory store right now, so I can't work on your chart. Nothing is lost — "
    "please try again in a minute.":
        "Je n'arrive pas à accéder à ma mémoire pour l'instant, je ne peux donc pas travailler sur "
        "votre graphique. Rien n'est perdu : réessayez dans une minute.",
    "Here is your data as a chart: {summary}. Tell me what to change.":
        "Voici vos données sous forme de graphique : {summary}. Dites-moi ce qu'il faut changer.",
    "Here is your chart again: {summary}. Tell me what to change.":
        "Voici à nouveau votre graphique : {summary}. Dites-moi ce qu'il faut changer.",
    "I couldn't make out any words in that voice message.":
        "Je n'ai compris aucun mot dans ce message vocal.",
    "I couldn't find a chart with data in that picture. Send a clear, straight photo or screenshot "
    "of a bar, line or pie chart.":
        "Je n'ai pas trouvé de graphique avec des données dans cette image. Envoyez une photo ou "
        "une capture d'écran nette et bien droite d'un graphique en barres, en courbes ou en "
        "camembert.",
    "I couldn't turn that into a change to your chart. Try saying it another way, e.g. “make it a "
    "line chart”.":
        "Je n'ai pas su traduire ça en modification de votre graphique. Essayez de le dire "
        "autrement, par exemple « transforme-le en courbe ».",
    "Done.": "C'est fait.",
    "Nothing to undo.": "Rien à annuler.",
    "Undone.": "Annulé.",
    "Nothing to redo.": "Rien à rétablir.",
    "Redone.": "Rétabli.",
    "{done} There is no table now. {guide}": "{done} Il n'y a plus de tableau. {guide}",
    "There is nothing to reset. {guide}": "Il n'y a rien à réinitialiser. {guide}",
    "Cleared. Send a new chart photo (/undo brings the old one back).":
        "Tout est effacé. Envoyez la photo d'un nouveau graphique (/undo ramène l'ancien).",
    "Voice replies are on: answers also come as a voice note. /voice turns them off.":
        "Réponses vocales activées : les réponses arrivent aussi en message vocal. /voice pour les "
        "désactiver.",
    "Voice replies are on.": "Réponses vocales activées.",
    "Voice replies are off.": "Réponses vocales désactivées.",
    "I can't draw that: {reason}.": "Je ne peux pas dessiner ça : {reason}.",
    "I can't draw that: {reason}. Your chart is unchanged.":
        "Je ne peux pas dessiner ça : {reason}. Votre graphique n'a pas changé.",
    "{reason} Your chart is unchanged.": "{reason} Votre graphique n'a pas changé.",
    "I couldn't work that out: {reason}.": "Je n'ai pas réussi à calculer ça : {reason}.",
    "That button doesn't work any more.": "Ce bouton ne fonctionne plus.",
    "Stopped.": "Arrêté.",
    "There is no chart now. {guide}": "Il n'y a pas de graphique pour l'instant. {guide}",
    "That chart is out of date; use the buttons under the newest one.":
        "Ce graphique n'est plus à jour ; utilisez les boutons sous le plus récent.",
    "Voice replies on.": "Réponses vocales activées.",
    "Voice replies off.": "Réponses vocales désactivées.",
    "Sorted": "Trié",
    "Chart": "Graphique",
    "Bar chart": "Graphique en barres",
    "Horizontal bar chart": "Barres horizontales",
    "Stacked bar chart": "Barres empilées",
    "Line chart": "Graphique en courbes",
    "Area chart": "Graphique en aires",
    "Stacked area chart": "Aires empilées",
    "Scatter chart": "Nuage de points",
    "Pie chart": "Camembert",
    "Donut chart": "Graphique en anneau",
    "Bar and line chart": "Barres et courbe",
    "📊 Bar": "📊 Barres",
    "📈 Line": "📈 Courbe",
    "🥧 Pie": "🥧 Camembert",
    "⇣ Sort": "⇣ Décroissant",
    "⇡ Sort": "⇡ Croissant",
    "✕ Unsort": "✕ Sans tri",
    "↶ Undo": "↶ Annuler",
    "📋 Table": "📋 Tableau",
    "🔇 Voice off": "🔇 Couper la voix",
    "🔊 Voice": "🔊 Voix",
    "The table is too big for a message: {summary}":
        "Le tableau est trop grand pour tenir dans un message : {summary}",
    "The chart at print size (PNG) and as an SVG whose text you can edit. /csv sends the data.":
        "Le graphique en taille impression (PNG) et en SVG dont vous pouvez modifier le texte. "
        "/csv envoie les données.",
    "{answer} (Rows used: {rows}.)": "{answer} (Lignes utilisées : {rows}.)",
    "all {count} rows": "toutes les {count} lignes",
    ", ": ", ",
    "{items} and {last}": "{items} et {last}",
    "{n}st": "{n}",
    "{n}nd": "{n}",
    "{n}rd": "{n}",
    "{n}th": "{n}",
    "The total of {column} is {value}.": "Total de « {column} » : {value}.",
    "The average of {column} is {value}.": "Moyenne de « {column} » : {value}.",
    "The median of {column} is {value}.": "Médiane de « {column} » : {value}.",
    "{labels} has the lowest {column}: {value}.":
        "{labels} a la valeur la plus basse pour « {column} » : {value}.",
    "{labels} have the lowest {column}: {value}.":
        "{labels} ont la valeur la plus basse pour « {column} » : {value}.",
    "{labels} has the highest {column}: {value}.":
        "{labels} a la valeur la plus haute pour « {column} » : {value}.",
    "{labels} have the highest {column}: {value}.":
        "{labels} ont la valeur la plus haute pour « {column} » : {value}.",
    "{column} has no values.": "La colonne « {column} » n'a aucune valeur.",
    "{column} has {count} value.": "La colonne « {column} » a {count} valeur.",
    "{column} has {count} values.": "La colonne « {column} » a {count} valeurs.",
    "{column} has no values in the chosen rows.":
        "Dans les lignes choisies, la colonne « {column} » n'a aucune valeur.",
    "{column} has {count} value in the chosen rows.":
        "Dans les lignes choisies, la colonne « {column} » a {count} valeur.",
    "{column} has {count} values in the chosen rows.":
        "Dans les lignes choisies, la colonne « {column} » a {count} valeurs.",
    "{column} ranges from {low} ({low_label}) to {high} ({high_label}), a spread of {spread}.":
        "Les valeurs de « {column} » vont de {low} ({low_label}) à {high} ({high_label}), soit un "
        "écart de {spread}.",
    "From {first} to {last}, {column} changed {change} (from {first_value} to {last_value}).":
        "De {first} à {last}, « {column} » a évolué de {change} (de {first_value} à {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} period "
    "(from {first_value} to {last_value}).":
        "De {first} à {last}, « {column} » a évolué de {change} par période, en taux composé sur "
        "{steps} période (de {first_value} à {last_value}).",
    "From {first} to {last}, {column} changed {change} per period, compounded over {steps} periods "
    "(from {first_value} to {last_value}).":
        "De {first} à {last}, « {column} » a évolué de {change} par période, en taux composé sur "
        "{steps} périodes (de {first_value} à {last_value}).",
    "{label} grew fastest: {change} (from {before} to {after}).":
        "{label} a le plus progressé : {change} (de {before} à {after}).",
    "{label} had the largest change: {change} (from {before} to {after}).":
        "{label} a le plus varié : {change} (de {before} à {after}).",
    "{label} fell the most: {change} (from {before} to {after}).":
        "{label} a le plus baissé : {change} (de {before} à {after}).",
    "{label} grew slowest: {change} (from {before} to {after}).":
        "{label} a le moins progressé : {change} (de {before} à {after}).",
    "{labels} is {share}% of the total {column} ({part} of {total}).":
        "{labels} représente {share} % du total de « {column} » ({part} sur {total}).",
    "{labels} together are {share}% of the total {column} ({part} of {total}).":
        "{labels} représentent ensemble {share} % du total de « {column} » ({part} sur {total}).",
    "In {column}, {a} and {b} are equal ({a_value} vs {b_value}).":
        "Pour « {column} », {a} et {b} ont la même valeur ({a_value} et {b_value}).",
    "{amount} percentage points": "{amount} points de pourcentage",
    "In {column}, {a} is {amount} more than {b} ({a_value} vs {b_value}).":
        "Pour « {column} », {a} a {amount} de plus que {b} ({a_value} contre {b_value}).",
    "In {column}, {a} is {amount} less than {b} ({a_value} vs {b_value}).":
        "Pour « {column} », {a} a {amount} de moins que {b} ({a_value} contre {b_value}).",
    "In {column}, {a} is {ratio} times {b} ({a_value} vs {b_value}).":
        "Pour « {column} », {a} vaut {ratio} fois {b} ({a_value} contre {b_value}).",
    "{label} ranks {place} of {count} by {column} ({value}).":
        "{label} est au rang {place} sur {count} selon « {column} » ({value}).",
    "{label} ranks {place} (tied) of {count} by {column} ({value}).":
        "{label} est au rang {place} (ex æquo) sur {count} selon « {column} » ({value}).",
    "the result is too large to compute": "le résultat est trop grand pour être calculé",
    "the result is too large to show": "le résultat est trop grand pour être affiché",
    "the table has no column of numbers": "le tableau n'a aucune colonne de nombres",
    "there is no column called “{name}”": "il n'y a pas de colonne nommée « {name} »",
    "the column “{name}” does not hold numbers": "la colonne « {name} » ne contient pas de nombres",
    "there is no row called “{label}”": "il n'y a pas de ligne nommée « {label} »",
    "there are no {column} values in the table":
        "il n'y a aucune valeur de « {column} » dans le tableau",
    "there are no {column} values in the chosen rows":
        "il n'y a aucune valeur de « {column} » dans les lignes choisies",
    "growth needs at least two rows with {column} values":
        "calculer une croissance demande au moins deux lignes avec des valeurs de « {column} »",
    "compound growth needs at least two rows with {column} values":
        "calculer une croissance composée demande au moins deux lignes avec des valeurs de "
        "« {column} »",
    "growth from “{label}” cannot be computed: its value is 0":
        "impossible de calculer la croissance à partir de « {label} » : sa valeur est 0",
    "compound growth needs positive values at the start and end":
        "calculer une croissance composée demande des valeurs positives au début et à la fin",
    "a change from row to row needs at least two rows of {column}":
        "calculer une variation d'une ligne à l'autre demande au moins deux lignes de « {column} »",
    "no change can be computed: every previous {column} value is 0 or missing":
        "aucune variation n'est calculable : toutes les valeurs précédentes de « {column} » sont à "
        "0 ou manquantes",
    "a share needs at least one row": "calculer une part demande au moins une ligne",
    "the total of {column} is 0, so there are no shares":
        "le total de « {column} » est 0, donc aucune part n'est calculable",
    "a difference needs exactly two rows": "calculer une différence demande exactement deux lignes",
    "a ratio needs exactly two rows": "calculer un rapport demande exactement deux lignes",
    "cannot divide by “{label}”: its {column} value is 0":
        "impossible de diviser par « {label} » : sa valeur pour « {column} » est 0",
    "“{label}” has no {column} value": "« {label} » n'a pas de valeur pour « {column} »",
    "a rank needs exactly one row": "calculer un classement demande exactement une ligne",
    # Telegram: access, limits, progress, stopping, voice.
    "Still working on it — the model is taking its time. /cancel stops it.":
        "Toujours en cours — le modèle prend son temps. /cancel pour arrêter.",
    "Still reading your chart — the model is taking its time. /cancel stops it.":
        "Je lis toujours votre graphique — le modèle prend son temps. /cancel pour arrêter.",
    "Sorry, something went wrong on my side. Your data is safe; please try again.":
        "Désolé, quelque chose n'a pas marché de mon côté. Vos données ne risquent rien ; "
        "réessayez.",
    "⏹ Stop": "⏹ Arrêter",
    "I work with charts: send me a photo or screenshot of one, then tell me what to change. /help "
    "shows examples.":
        "Je travaille avec des graphiques : envoyez-m'en une photo ou une capture d'écran, puis "
        "dites-moi ce qu'il faut changer. /help affiche des exemples.",
    "I can read charts from photos, image files (PNG, JPEG, WebP, GIF, BMP) and PDFs, and "
    "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.":
        "Je sais lire les graphiques sur des photos, des fichiers image (PNG, JPEG, WebP, GIF, "
        "BMP) et des PDF, et les tableaux dans des fichiers CSV ou XLSX. Envoyez une capture "
        "d'écran ou une photo du graphique.",
    "That voice message is too long for me; please keep it under two minutes.":
        "Ce message vocal est trop long pour moi ; il doit durer moins de deux minutes.",
    "Telegram wouldn't let me download that file (it may be too big). Send a smaller one.":
        "Telegram ne m'a pas laissé télécharger ce fichier (il est peut-être trop volumineux). "
        "Envoyez-en un plus petit.",
    "Sorry, this bot is private. Ask its owner for access.":
        "Désolé, ce bot est privé. Demandez l'accès à son propriétaire.",
    "Today you have used {used} of {limit} model calls.":
        "Appels au modèle aujourd'hui : {used} sur {limit}.",
    "Today you have used {used} of unlimited model calls.":
        "Appels au modèle aujourd'hui : {used} (sans limite).",
    "Usage figures are unavailable right now; please try again soon.":
        "Les chiffres d'utilisation sont indisponibles pour l'instant ; réessayez d'ici peu.",
    "You've sent a lot of messages; try again in {wait}.":
        "Vous avez envoyé beaucoup de messages ; réessayez dans {wait}.",
    "You've used today's {n} chart request; it resets in {wait}.":
        "Vous avez utilisé votre quota du jour de {n} demande de graphique ; il se réinitialise "
        "dans {wait}.",
    "You've used today's {n} chart requests; it resets in {wait}.":
        "Vous avez utilisé votre quota du jour de {n} demandes de graphique ; il se réinitialise "
        "dans {wait}.",
    "Usage on {date} (UTC; the day resets in {wait})":
        "Utilisation du {date} (UTC ; nouvelle journée dans {wait})",
    "Model calls: {calls} by {people} ({limit}).":
        "Appels au modèle : {calls} par {people} ({limit}).",
    "Used up their budget: {people}. Hit the message limit: {times} today.":
        "Budget épuisé : {people}. Limite de messages atteinte : {times} aujourd'hui.",
    "limit {n} a day each": "limite de {n} par jour et par personne",
    "no daily limit": "pas de limite quotidienne",
    "… and {count} more.": "… et {count} de plus.",
    "{user}: {calls} today, {messages} this minute":
        "{user} : {calls} aujourd'hui, {messages} cette minute",
    "{user} (admin): {calls} today, {messages} this minute":
        "{user} (admin) : {calls} aujourd'hui, {messages} cette minute",
    "{n} person": "{n} personne",
    "{n} people": "{n} personnes",
    "{n} time": "{n} fois",
    "{n} times": "{n} fois",
    "{n} model call": "{n} appel au modèle",
    "{n} model calls": "{n} appels au modèle",
    "{n} message": "{n} message",
    "{n} messages": "{n} messages",
    "{n} second": "{n} seconde",
    "{n} seconds": "{n} secondes",
    "{minutes} min": "{minutes} min",
    "{hours} h": "{hours} h",
    "{hours} h {minutes} min": "{hours} h {minutes} min",
    "Too late to stop my last answer: it is already on its way. /undo takes it back if you don't "
    "want it.":
        "Trop tard pour arrêter ma dernière réponse : elle est déjà en route. /undo l'annule si "
        "vous n'en voulez pas.",
    "Too late to stop my last answer: it is already on its way. /undo takes it back if you don't "
    "want it. The messages you sent after it were dropped.":
        "Trop tard pour arrêter ma dernière réponse : elle est déjà en route. /undo l'annule si "
        "vous n'en voulez pas. Les messages envoyés après ont été ignorés.",
    "Stopped. Your table and chart are as they were.":
        "Arrêté. Votre tableau et votre graphique n'ont pas changé.",
    "Nothing to stop: I'm not working on anything for this chat.":
        "Rien à arrêter : je ne travaille sur rien pour cette discussion.",
    "I couldn't make a voice note just now; the answer is in the text above.":
        "Je n'ai pas pu créer de message vocal pour l'instant ; la réponse est dans le texte "
        "ci-dessus.",
    "There is nothing to read aloud in this answer.":
        "Il n'y a rien à lire à voix haute dans cette réponse.",
    # Photos, table files, model answers, charts, code mode.
    "That image file looks damaged or incomplete, so I can't read it. Try sending it again, or "
    "send a screenshot of the chart.":
        "Ce fichier image semble endommagé ou incomplet, je ne peux donc pas le lire. Renvoyez-le, "
        "ou envoyez une capture d'écran du graphique.",
    "an SVG drawing": "un dessin SVG",
    "a PDF": "un PDF",
    "a HEIC photo": "une photo HEIC",
    "a HEIF photo": "une photo HEIF",
    "an AVIF image": "une image AVIF",
    "a TIFF image": "une image TIFF",
    "a ZIP archive": "une archive ZIP",
    "a video": "une vidéo",
    "a text file": "un fichier texte",
    "that kind of file ({mime})": "ce type de fichier ({mime})",
    "that kind of file": "ce type de fichier",
    "I can't read {kind}. Send it as a photo rather than as a file, or as a PNG, JPEG, WebP, GIF "
    "or BMP image.":
        "Je ne peux pas lire {kind}. Envoyez plutôt une photo qu'un fichier, ou une image PNG, "
        "JPEG, WebP, GIF ou BMP.",
    "I can't read {kind}. Send the chart as a PNG, JPEG, WebP, GIF or BMP image; a screenshot "
    "works.":
        "Je ne peux pas lire {kind}. Envoyez le graphique en image PNG, JPEG, WebP, GIF ou BMP ; "
        "une capture d'écran convient.",
    "That file is empty. Send the chart as a PNG, JPEG, WebP, GIF or BMP image.":
        "Ce fichier est vide. Envoyez le graphique en image PNG, JPEG, WebP, GIF ou BMP.",
    "That file is {size}; I can read images up to {limit}. Send a screenshot or a smaller photo.":
        "Ce fichier fait {size} ; je peux lire des images jusqu'à {limit}. Envoyez une capture "
        "d'écran ou une photo plus petite.",
    "That image is {width}×{height} pixels ({megapixels} megapixels); I can read images up to "
    "{limit} megapixels. Send a screenshot or a smaller copy.":
        "Cette image fait {width}×{height} pixels ({megapixels} mégapixels) ; je peux lire des "
        "images jusqu'à {limit} mégapixels. Envoyez une capture d'écran ou une copie plus petite.",
    "That image has far too many pixels for me to read; I can read images up to {limit} "
    "megapixels. Send a screenshot or a smaller copy.":
        "Cette image a beaucoup trop de pixels pour moi ; je peux lire des images jusqu'à {limit} "
        "mégapixels. Envoyez une capture d'écran ou une copie plus petite.",
    "That image is only {width}×{height} pixels, too small to read. Send a larger screenshot of "
    "the chart.":
        "Cette image ne fait que {width}×{height} pixels : c'est trop petit pour la lire. Envoyez "
        "une capture d'écran plus grande du graphique.",
    "That image has too much fine detail to send to the model, even shrunk. Send a screenshot "
    "cropped to just the chart.":
        "Cette image a trop de petits détails pour être envoyée au modèle, même réduite. Envoyez "
        "une capture d'écran recadrée sur le graphique seul.",
    "I can't read old Excel .xls files. Save it as .xlsx or .csv and send it again.":
        "Je ne peux pas lire les anciens fichiers Excel .xls. Enregistrez-le en .xlsx ou .csv et "
        "renvoyez-le.",
    "I can't read OpenDocument .ods files. Save it as .xlsx or .csv and send it again.":
        "Je ne peux pas lire les fichiers OpenDocument .ods. Enregistrez-le en .xlsx ou .csv et "
        "renvoyez-le.",
    "I can't read Apple Numbers files. Save it as .xlsx or .csv and send it again.":
        "Je ne peux pas lire les fichiers Apple Numbers. Enregistrez-le en .xlsx ou .csv et "
        "renvoyez-le.",
    "I couldn't read that file as a table. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Je n'ai pas pu lire ce fichier comme un tableau. Enregistrez-le en .csv (UTF-8) ou .xlsx "
        "et renvoyez-le.",
    "That doesn't look like a valid .xlsx file. Save it as .csv (UTF-8) or .xlsx and send it "
    "again.":
        "Ce fichier ne ressemble pas à un fichier .xlsx valide. Enregistrez-le en .csv (UTF-8) ou "
        ".xlsx et renvoyez-le.",
    "That file is empty. Send a CSV or XLSX file with a header row and some data.":
        "Ce fichier est vide. Envoyez un fichier CSV ou XLSX avec une ligne d'en-tête et quelques "
        "données.",
    "That file is {size} MB; I can read table files up to {limit} MB. Send a smaller CSV or XLSX "
    "file.":
        "Ce fichier fait {size} MB ; je peux lire des fichiers de tableau jusqu'à {limit} MB. "
        "Envoyez un fichier CSV ou XLSX plus petit.",
    "That Excel file seems to be password-protected. Remove the password (or save it as .csv) and "
    "send it again.":
        "Ce fichier Excel semble protégé par un mot de passe. Retirez le mot de passe (ou "
        "enregistrez-le en .csv) et renvoyez-le.",
    "That file has a header row but no data rows. Add some data and send it again.":
        "Ce fichier a une ligne d'en-tête mais aucune ligne de données. Ajoutez des données et "
        "renvoyez-le.",
    "That table has more than {limit} rows; I can take at most {limit}. Trim it and send it again.":
        "Ce tableau a plus de {limit} lignes ; je peux en prendre {limit} au maximum. "
        "Raccourcissez-le et renvoyez-le.",
    "That table has {count} columns; I can take at most {limit}. Remove some columns and send it "
    "again.":
        "Ce tableau a {count} colonnes ; je peux en prendre {limit} au maximum. Supprimez quelques "
        "colonnes et renvoyez-le.",
    "That table has more than {limit} columns; I can take at most {limit}. Remove some columns and "
    "send it again.":
        "Ce tableau a plus de {limit} colonnes ; je peux en prendre {limit} au maximum. Supprimez "
        "quelques colonnes et renvoyez-le.",
    "I couldn't use that table: {reason}. Save it as .csv (UTF-8) or .xlsx and send it again.":
        "Je n'ai pas pu utiliser ce tableau : {reason}. Enregistrez-le en .csv (UTF-8) ou .xlsx et "
        "renvoyez-le.",
    "That text file doesn't look like a table: I need columns separated by commas, semicolons, "
    "tabs or |. Send a .csv or .xlsx file.":
        "Ce fichier texte ne ressemble pas à un tableau : il me faut des colonnes séparées par des "
        "virgules, des points-virgules, des tabulations ou des |. Envoyez un fichier .csv ou "
        ".xlsx.",
    "That file doesn't look like a text table (CSV). Save it as .csv (UTF-8) or .xlsx and send it "
    "again.":
        "Ce fichier ne ressemble pas à un tableau au format texte (CSV). Enregistrez-le en .csv "
        "(UTF-8) ou .xlsx et renvoyez-le.",
    "That .xlsx file unpacks to far more data than a table needs, so I won't open it. Send a "
    "smaller sheet or save it as .csv.":
        "Une fois décompressé, ce fichier .xlsx contient bien plus de données qu'il n'en faut pour "
        "un tableau : je ne l'ouvrirai donc pas. Envoyez une feuille plus petite ou enregistrez-le "
        "en .csv.",
    "That workbook has no data in any sheet. Send a file with a header row and some data.":
        "Aucune feuille de ce classeur ne contient de données. Envoyez un fichier avec une ligne "
        "d'en-tête et quelques données.",
    "the table has no columns": "le tableau n'a aucune colonne",
    "the table has no rows": "le tableau n'a aucune ligne de données",
    "a table needs at least one column": "un tableau doit avoir au moins une colonne",
    "a table may have at most {limit} columns": "un tableau peut avoir au plus {limit} colonnes",
    "a table may have at most {limit} rows": "un tableau peut avoir au plus {limit} lignes",
    "row {row} has {cells} cells but there are {width} columns":
        "la ligne {row} a {cells} cellules alors qu'il y a {width} colonnes",
    "row {row} holds a number that is not finite":
        "la ligne {row} contient un nombre qui n'est pas fini",
    "row {row} holds a cell longer than {limit} chars":
        "la ligne {row} contient une cellule de plus de {limit} caractères",
    "{count} row": "{count} ligne",
    "{count} rows": "{count} lignes",
    "{count} column": "{count} colonne",
    "{count} columns": "{count} colonnes",
    "“{title}”: {rows} × {columns} ({names})": "« {title} » : {rows} × {columns} ({names})",
    "{rows} × {columns} ({names})": "{rows} × {columns} ({names})",
    "The answer is empty.": "La réponse est vide.",
    "some cells could not be read": "certaines cellules n'ont pas pu être lues",
    "The table in the answer could not be used: {problem}.":
        "Le tableau de la réponse est inutilisable : {problem}.",
    "No data table found in the answer.": "Aucun tableau de données trouvé dans la réponse.",
    "column “{name}” does not hold numbers": "la colonne « {name} » ne contient pas de nombres",
    "the table has no column of numbers to draw":
        "le tableau n'a aucune colonne de nombres à tracer",
    "a pie chart cannot show negative numbers":
        "un camembert ne peut pas afficher de nombres négatifs",
    "a pie chart needs at least one positive number":
        "un camembert a besoin d'au moins un nombre positif",
    "a log scale needs every value above zero":
        "une échelle logarithmique demande que toutes les valeurs soient supérieures à zéro",
    "the axis minimum must be below its maximum":
        "le minimum de l'axe doit être inférieur à son maximum",
    "a bar-and-line chart needs two columns of numbers":
        "un graphique barres et courbe a besoin de deux colonnes de nombres",
    "{bars} bars are too many to draw; show fewer rows or use a line chart":
        "{bars} barres, c'est trop à dessiner ; affichez moins de lignes ou passez à un graphique "
        "en courbes",
    "I can't listen to voice messages here; please type instead.":
        "Je ne peux pas écouter les messages vocaux ici ; écrivez plutôt votre message.",
    "The model endpoint refused the request.": "Le serveur du modèle a refusé la requête.",
    "The model endpoint refused our key; the operator needs to check it.":
        "Le serveur du modèle a refusé notre clé ; l'administrateur du bot doit la vérifier.",
    "The model endpoint does not know the model {model}.":
        "Le serveur du modèle ne connaît pas le modèle {model}.",
    "The model endpoint answered with an error ({status}).":
        "Le serveur du modèle a répondu par une erreur ({status}).",
    "The model endpoint could not be reached.": "Impossible de joindre le serveur du modèle.",
    "The model took too long to answer. Please try again in a moment.":
        "Le modèle a mis trop de temps à répondre. Réessayez dans un instant.",
    "The model service is busy (rate limited). Please try again in a minute.":
        "Le service du modèle est surchargé (limite de requêtes atteinte). Réessayez dans une "
        "minute.",
    "I can't reach the model service right now. Please try again.":
        "Je n'arrive pas à joindre le service du modèle pour l'instant. Réessayez.",
    "The model service is having trouble. Please try again shortly.":
        "Le service du modèle rencontre des difficultés. Réessayez d'ici peu.",
    "{tool} is not installed (Debian package util-linux)":
        "{tool} n'est pas installé (paquet Debian util-linux)",
    "code mode needs Linux namespaces": "le mode code nécessite les espaces de noms Linux",
    "code mode needs root to create namespaces and switch to the sandbox user":
        "le mode code nécessite les droits root pour créer des espaces de noms et passer à "
        "l'utilisateur du bac à sable",
    "the Python executable is unknown": "l'exécutable Python est inconnu",
    "cannot read this process's namespaces: {reason}":
        "impossible de lire les espaces de noms de ce processus : {reason}",
    "could not start the sandbox: {reason}": "impossible de démarrer le bac à sable : {reason}",
    "the sandbox could not start: {reason}": "le bac à sable n'a pas pu démarrer : {reason}",
    "The sandbox did not start in time.": "Le bac à sable n'a pas démarré à temps.",
    "The chart code produced more than {size} MB of output.":
        "Le code du graphique a produit plus de {size} MB de sortie.",
    "The chart code took longer than {seconds} s.":
        "Le code du graphique a pris plus de {seconds} s.",
    "The chart code failed: {error}": "Le code du graphique a échoué : {error}",
    "The chart code failed: unknown error": "Le code du graphique a échoué : erreur inconnue",
    "The chart code was stopped before it finished (it hit a CPU, memory, file or process limit).":
        "Le code du graphique a été arrêté avant la fin (il a atteint une limite de CPU, de "
        "mémoire, de fichiers ou de processus).",
    "The chart code did not produce a PNG image.":
        "Le code du graphique n'a pas produit d'image PNG.",
    "The chart code produced an image that is too large.":
        "Le code du graphique a produit une image trop grande.",
    "The chart code produced a damaged PNG image.":
        "Le code du graphique a produit une image PNG endommagée.",
    "The chart code is longer than {size} KB.": "Le code du graphique dépasse {size} KB.",
    # The command menu.
    "What I do, with an example": "Ce que je fais, avec un exemple",
    "Show the data table": "Afficher le tableau de données",
    "Send the table as a CSV file": "Envoyer le tableau en fichier CSV",
    "Send the chart as PNG and SVG files": "Envoyer le graphique en fichiers PNG et SVG",
    "Undo the last change": "Annuler la dernière modification",
    "Redo what was undone": "Rétablir ce qui a été annulé",
    "Start over": "Recommencer à zéro",
    "Voice-note replies on or off": "Activer ou couper les réponses vocales",
    "Stop what I'm working on": "Arrêter ce que je suis en train de faire",
    "I only act on new messages, so editing one changes nothing. Send the corrected request as a "
    "new message (/undo takes back what the first one did).":
        "Je ne réagis qu'aux nouveaux messages : modifier un message ne change rien. Envoyez la "
        "demande corrigée dans un nouveau message (/undo annule ce qu'a fait le premier).",
    "Send the table as an Excel workbook": "Envoyer le tableau sous forme de classeur Excel",
    "Your chart was changed elsewhere at the same moment. Please try again.":
        "Votre graphique a été modifié ailleurs au même moment. Veuillez réessayer.",
    "How many model calls you have used today":
        "Combien d’appels au modèle vous avez utilisés aujourd’hui",
    "Read the chart in an image":
        "Lire le graphique d’une image",
    "A chart: a photo or screenshot":
        "Un graphique : une photo ou une capture d’écran",
    "Discord wouldn't let me download that file. Please send it again.":
        "Discord ne m’a pas laissé télécharger ce fichier. Veuillez le renvoyer.",
    # The read check: values two reads of a chart disagree on.
    "{row} · {column}: {shown} or {other}?":
        "{row} · {column} : {shown} ou {other} ?",
    "… and {count} more, marked {mark} in /table.":
        "… et {count} de plus, marqués {mark} dans /table.",
    "I read the chart twice and got different values here; please check them against "
    "your picture (a button under the chart keeps the other value):\n"
    "{cells}":
        "J’ai lu le graphique deux fois et obtenu des valeurs différentes ici ; "
        "vérifiez-les sur votre image (un bouton sous le graphique garde l’autre valeur) :\n"
        "{cells}",
    "{mark} marks a value my two readings of the chart disagree on:\n"
    "{cells}":
        "{mark} marque une valeur sur laquelle mes deux lectures du graphique ne "
        "s’accordent pas :\n"
        "{cells}",
    "{row} · {column} → {value}":
        "{row} · {column} → {value}",
    "Kept {value} for {row} · {column}.":
        "{value} gardé pour {row} · {column}.",
    "Its value axis is logarithmic, so I drew it that way too.":
        "Son axe des valeurs est logarithmique, je l’ai donc dessiné ainsi.",
    "One more value to check.":
        "Encore une valeur à vérifier.",
    "{count} more values to check.":
        "Encore {count} valeurs à vérifier.",
    # Edits and charts that fit: what changed, in numbers.
    "{rows} rows are too many to draw as bars, so this is a line chart; say “bar chart of the "
    "top 20” to see bars.":
        "{rows} lignes, c’est trop pour des barres, alors voici un graphique en courbes ; dites "
        "« barres des 20 premiers » pour voir des barres.",
    "{first} This shows the first {shown} of {count} value columns.":
        "{first} Seules les {shown} premières des {count} colonnes de valeurs sont affichées.",
    "I couldn't draw the chart as it was ({reason}), so I drew one that fits; tell me what "
    "you'd like instead.":
        "Je n’ai pas pu dessiner le graphique tel quel ({reason}), alors j’en ai dessiné un qui "
        "convient ; dites-moi ce que vous préférez.",
    "This shows the first {shown} of {count} value columns; tell me which ones you want to see.":
        "Seules les {shown} premières des {count} colonnes de valeurs sont affichées ; "
        "dites-moi lesquelles vous voulez voir.",
    "Added {count} row":
        "{count} ligne ajoutée",
    "Added {count} rows":
        "{count} lignes ajoutées",
    "Removed {count} row":
        "{count} ligne supprimée",
    "Removed {count} rows":
        "{count} lignes supprimées",
    "Removed {count} row where {condition}":
        "{count} ligne supprimée où {condition}",
    "Removed {count} rows where {condition}":
        "{count} lignes supprimées où {condition}",
    "Kept {kept} row where {condition}, removed {count}":
        "{kept} ligne gardée où {condition}, {count} supprimées",
    "Kept {kept} rows where {condition}, removed {count}":
        "{kept} lignes gardées où {condition}, {count} supprimées",
    "Changed {count} value in “{column}”":
        "{count} valeur modifiée dans « {column} »",
    "Changed {count} values in “{column}”":
        "{count} valeurs modifiées dans « {column} »",
    "Filled {count} empty cell in “{column}”":
        "{count} cellule vide remplie dans « {column} »",
    "Filled {count} empty cells in “{column}”":
        "{count} cellules vides remplies dans « {column} »",
    "Removed column {names}":
        "Colonne {names} supprimée",
    "Removed {count} columns: {names}":
        "{count} colonnes supprimées : {names}",
    "Set {row} · {column} to {value} (was {old})":
        "{row} · {column} vaut maintenant {value} (avant {old})",
    "Renamed row “{old}” to “{new}”":
        "Ligne « {old} » renommée en « {new} »",
    "Added column “{column}”":
        "Colonne « {column} » ajoutée",
    "Renamed column “{old}” to “{new}”":
        "Colonne « {old} » renommée en « {new} »",
    "Sorted rows by “{column}”, smallest first":
        "Lignes triées par « {column} », du plus petit au plus grand",
    "Sorted rows by “{column}”, largest first":
        "Lignes triées par « {column} », du plus grand au plus petit",
    "Swapped rows and columns":
        "Lignes et colonnes échangées",
    "I kept your table ({summary}), but it has no column of numbers to draw. Tell me what to "
    "change, or /csv to get it back.":
        "J’ai gardé votre tableau ({summary}), mais il n’a aucune colonne de nombres à "
        "dessiner. Dites-moi quoi changer, ou récupérez-le avec /csv.",
    "There is no column of numbers left to draw; /table shows your data.":
        "Il ne reste aucune colonne de nombres à dessiner ; /table montre vos données.",
    "; ":
        " ; ",
    "{changes}.":
        "{changes}.",
    # A pie chart's slice of the smallest values.
    "Other": "Autres",
    # The library: /charts, PDFs, questions across charts.
    "List your charts and pick one":
        "Lister vos graphiques et en choisir un",
    "Made from: {charts}.":
        "Construit à partir de : {charts}.",
    "Now working on: {summary}":
        "Graphique en cours : {summary}",
    "I found nothing about that in your {count} charts. /charts lists them.":
        "Je n'ai rien trouvé à ce sujet dans vos {count} graphiques. /charts les liste.",
    "None of your charts answers that, as far as I can tell. /charts lists them.":
        "Aucun de vos graphiques ne répond à cela, pour autant que je puisse en juger. /charts "
        "les liste.",
    "{file}: {pages} pages read, {count} charts found and added to your library:":
        "{file} : {pages} pages lues, {count} graphiques trouvés et ajoutés à votre bibliothèque :",
    "The last one is the current chart. Tap a number to work on another, or ask about all of them.":
        "Le dernier est désormais le graphique courant. Touchez un numéro pour travailler sur un "
        "autre, ou posez une question sur l'ensemble.",
    "Pages too large to draw, skipped: {pages}.":
        "Pages trop grandes pour être dessinées, ignorées : {pages}.",
    "Pages I couldn't read: {pages}.":
        "Pages que je n'ai pas pu lire : {pages}.",
    "{reason} Pages not read: {pages}.":
        "{reason} Pages non lues : {pages}.",
    "I couldn't put those charts together. Name the charts and the columns, e.g. “put the 2023 "
    "columns of the sales and the costs charts side by side”.":
        "Je n'ai pas pu assembler ces graphiques. Nommez les graphiques et les colonnes, par ex. "
        "« mets côte à côte les colonnes 2023 des graphiques des ventes et des coûts ».",
    "That chart is no longer in your library.":
        "Ce graphique n'est plus dans votre bibliothèque.",
    "I looked at all {pages} pages of {file} and found no charts.":
        "J'ai parcouru les {pages} pages de {file} sans trouver de graphique.",
    "page {page}":
        "page {page}",
    "untitled chart":
        "graphique sans titre",
    "an earlier chart":
        "un graphique précédent",
    "“{title}” ({source})":
        "« {title} » ({source})",
    "{file}, page {page}":
        "{file}, page {page}",
    "your photo (message {id})":
        "votre photo (message {id})",
    "your photo":
        "votre photo",
    "combined from {entries}":
        "combiné à partir de {entries}",
    "Your charts ({count}); tap a number to work on that chart:":
        "Vos graphiques ({count}) ; touchez un numéro pour travailler sur ce graphique :",
    "• {result} — from {citation}":
        "• {result} — d'après {citation}",
    "That PDF is too big for me: the limit is {mb} MB.":
        "Ce PDF est trop volumineux pour moi : la limite est de {mb} Mo.",
    "That file is not a PDF I can read.":
        "Ce fichier n'est pas un PDF que je sais lire.",
    "That PDF is damaged or not a PDF I can read.":
        "Ce PDF est endommagé ou n'est pas un PDF que je sais lire.",
    "That PDF has no pages.":
        "Ce PDF n'a aucune page.",
    "That PDF has {pages} pages; I read at most {limit}. Send the pages with the charts as a "
    "shorter PDF.":
        "Ce PDF a {pages} pages ; j'en lis au plus {limit}. Envoyez les pages contenant les "
        "graphiques dans un PDF plus court.",
    "That PDF is encrypted or password-protected, so I can't read it. Send a copy without "
    "protection.":
        "Ce PDF est chiffré ou protégé par un mot de passe, je ne peux donc pas le lire. Envoyez "
        "une copie sans protection.",
    "Page {page} of that PDF is too large to draw.":
        "La page {page} de ce PDF est trop grande pour être dessinée.",
    "Reading {file}: page {page} of {pages}…":
        "Lecture de {file} : page {page} sur {pages}…",
    "If that link is a chart picture, I'll read it as soon as Discord shows its preview. You can "
    "also attach the image.":
        "Si ce lien est l’image d’un graphique, je la lirai dès que Discord en affichera "
        "l’aperçu. Vous pouvez aussi joindre l’image.",
}
