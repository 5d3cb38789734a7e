// Table cells shared by the dashboard's tables.

/** A table cell holding text; with a class, the full text is also its tooltip (long values are cut short). */
export function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
        td.className = className;
        td.title = text;
    }
    return td;
}
