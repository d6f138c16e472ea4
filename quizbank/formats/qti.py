"""IMS QTI 2.1 items: one assessmentItem XML file, or a content package (ZIP) of them.

A choiceInteraction becomes a single or multiple choice question according to its
responseDeclaration's cardinality; correctResponse names the right choices and a
<mapping> (scored with the map_response template) gives partial-credit weights. An
orderInteraction becomes an ordering question. Items with any other interaction (text
entry, match, hotspot...) are skipped by the interaction's name.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from quizbank.formats.base import Collector, FileRejected, ParsedQuestion, TooManyItems, choice
from quizbank.formats.markup import element_to_markdown
from quizbank.formats.safety import XmlDocument, local, open_zip, parse_xml, read_entry
from quizbank.formats.tables import is_zip
from quizbank.formats.textio import parse_language, parse_number

_SUPPORTED = {"choiceInteraction", "orderInteraction"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _children(el: Element, name: str) -> list[Element]:
    return [child for child in el.iter() if local(child.tag) == name]


def _declarations(root: Element) -> dict[str, dict]:
    found = {}
    for decl in _children(root, "responseDeclaration"):
        values = [(v.text or "").strip() for c in _children(decl, "correctResponse") for v in _children(c, "value")]
        mapping = {}
        for entry in _children(decl, "mapEntry"):
            mapped = parse_number(entry.get("mappedValue", ""))
            if mapped is not None:
                mapping[entry.get("mapKey", "")] = mapped
        found[decl.get("identifier", "")] = {
            "cardinality": decl.get("cardinality", "single"),
            "correct": values,
            "mapping": mapping,
        }
    return found


class _ItemReader:
    def __init__(self, doc: XmlDocument, out: Collector, prefix: str):
        self.doc, self.out, self.prefix = doc, out, prefix

    def error(self, line: int, message: str) -> None:
        self.out.bad_question(line, self.prefix + message)

    def read(self) -> None:
        root, line = self.doc.root, self.doc.line(self.doc.root)
        name = root.get("title") or root.get("identifier") or ""
        body = next(iter(_children(root, "itemBody")), None)
        interactions = [el for el in (body.iter() if body is not None else []) if local(el.tag).endswith("Interaction")]
        if len(interactions) != 1 or local(interactions[0].tag) not in _SUPPORTED:
            kinds = sorted({local(el.tag) for el in interactions}) or ["itemBody"]
            self.out.skip(line, self.prefix + name, ", ".join(kinds))
            return
        interaction = interactions[0]
        declaration = _declarations(root).get(interaction.get("responseIdentifier", ""))
        if declaration is None:
            self.error(line, _("Không tìm thấy khai báo đáp án (responseDeclaration) của câu hỏi."))
            return
        prompt = next((el for el in interaction if local(el.tag) == "prompt"), None)
        stem, lost = element_to_markdown(body, skip=lambda el: el is interaction)
        if prompt is not None:
            prompt_text, more = element_to_markdown(prompt)
            stem, lost = "\n\n".join(p for p in (stem, prompt_text) if p), lost + more
        q = ParsedQuestion(qtype="single", stem=stem, line=self.doc.line(interaction) or line)
        q.language = parse_language(root.get(_XML_LANG, "")) or "vi"
        feedback = _children(root, "modalFeedback")
        if len(feedback) == 1:
            q.explanation, more = element_to_markdown(feedback[0])
            lost += more
        if lost:
            self.out.warn(q.line, _("Hình ảnh nhúng trong tệp không được nhập; hãy thêm lại hình sau khi nhập."))
        if self._answers(q, interaction, declaration):
            self.out.add(q)

    def _answers(self, q: ParsedQuestion, interaction: Element, declaration: dict) -> bool:
        choices = [el for el in interaction if local(el.tag) == "simpleChoice"]
        texts = {el.get("identifier", ""): element_to_markdown(el)[0] for el in choices}
        correct, mapping = declaration["correct"], declaration["mapping"]
        if local(interaction.tag) == "orderInteraction":
            q.qtype = "ordering"
            if sorted(correct) != sorted(texts):
                self.error(q.line, _("Thứ tự đúng (correctResponse) phải nêu mỗi lựa chọn đúng một lần."))
                return False
            q.choices = [choice(texts[key], True) for key in correct]
            return True
        if not correct and mapping:
            correct = [key for key, value in mapping.items() if value > 0]
        if any(key not in texts for key in correct):
            self.error(q.line, _("Đáp án đúng (correctResponse) không khớp với lựa chọn nào."))
            return False
        multiple = declaration["cardinality"] == "multiple"
        q.qtype = "multiple" if multiple else "single"
        positive = sum(v for v in mapping.values() if v > 0)
        q.partial_credit = multiple and bool(mapping) and positive > 0
        for key, value in texts.items():
            weight = mapping.get(key, 0.0) / positive if q.partial_credit else None
            q.choices.append(choice(value, key in correct, weight))
        return True


def _read_item(data: bytes, out: Collector, prefix: str = "") -> None:
    doc = parse_xml(data)
    if local(doc.root.tag) != "assessmentItem":
        if prefix:
            return  # manifests, tests and other package files
        raise FileRejected(
            _("Tệp XML không phải câu hỏi QTI 2.1: thẻ gốc phải là <assessmentItem>, không phải <%(tag)s>.")
            % {"tag": local(doc.root.tag)}
        )
    _ItemReader(doc, out, prefix).read()


def parse(data: bytes, out: Collector) -> None:
    if not is_zip(data):
        _read_item(data, out)
        return
    archive = open_zip(data)
    names = sorted(n for n in archive.namelist() if n.lower().endswith(".xml") and not n.endswith("imsmanifest.xml"))
    for name in names:
        try:
            _read_item(read_entry(archive, name), out, prefix=f"{name}: ")
        except TooManyItems:
            raise
        except FileRejected as exc:
            out.error(exc.line, f"{name}: {exc.message}")
