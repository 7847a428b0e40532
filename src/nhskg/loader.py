"""Turning checked annotations into RDF: one named graph for the entity register, one for background facts,
one per document. With the corpus at hand, every anchor is checked against its document's text first."""

from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .annotations import Annotations, AnnotationFile, Record
from .corpus import Anchor, SourceText, check_anchor_shape, list_corpus, read_document, verify_anchor
from .dates import parse_date
from .errors import InputError
from .vocab import (FOAF, GRAPH_BACKGROUND, GRAPH_ENTITIES, GRAPH_LINKS, LEGISLATION, NHSKG, OA, ORG, SCHEMA, ID,
                    document_graph, mint)

GENRE_CLASS = {"blog-post": NHSKG.BlogPost, "newsletter-article": NHSKG.NewsletterArticle,
               "press-release": NHSKG.PressRelease, "news-article": NHSKG.NewsArticle,
               "board-paper": NHSKG.BoardPaper}
CHANGE_CLASS = {"merger": NHSKG.Merger, "split": NHSKG.Split, "replacement": NHSKG.Replacement,
                "abolition": NHSKG.Abolition, "establishment": NHSKG.Establishment, "renaming": NHSKG.Renaming,
                "transfer": NHSKG.Transfer, "change-of-type": NHSKG.ChangeOfType}
RELATION_PROPERTY = {"hosts": NHSKG.hosts, "authorises": NHSKG.authorises,
                     "performance-manages": NHSKG.performanceManages, "regulates": NHSKG.regulates,
                     "delegates-to": NHSKG.delegatesTo, "may-refer-plans-back-to": NHSKG.mayReferPlansBackTo,
                     "commissions-from": NHSKG.commissionsFrom, "advises": NHSKG.advises,
                     "oversees": NHSKG.oversees}
CLAIM_CLASS = {"prediction": NHSKG.Prediction, "criticism": NHSKG.Criticism,
               "recommendation": NHSKG.Recommendation, "estimate": NHSKG.Estimate, "assertion": NHSKG.Assertion}
STATUS = {s: NHSKG["status" + s.capitalize()] for s in ("done", "planned", "proposed", "predicted", "rejected")}


class Loader:
    """Writes the triples of every annotation file into its named graph of one Dataset."""

    def __init__(self, annotations: Annotations, corpus: Path | None = None, register_keys: set[str] | None = None):
        self.annotations = annotations
        self.corpus_files = list_corpus(corpus) if corpus is not None else None
        self.dataset = Dataset()
        # A curated body linked to the register is that register entry: one IRI per real body.
        self.links = {}
        for entity, record in annotations.links().items():
            key = record.values["register"]
            if register_keys is None or key not in register_keys:
                raise InputError(record.at("register"), f"{key!r} is not in the register")
            self.links[entity] = ID[f"org/{key}"]

    # -- references --------------------------------------------------------------------------------
    def ref(self, identifier: str) -> URIRef:
        if identifier.startswith("type:"):
            return NHSKG[identifier[5:]]
        if identifier in self.links:
            return self.links[identifier]
        record = self.annotations.index[identifier]
        return mint(record.section, record.id)

    def run(self) -> Dataset:
        for annotation_file in self.annotations.files:
            if annotation_file.role == "links":
                self._links(annotation_file, self.dataset.graph(GRAPH_LINKS))
            elif annotation_file.role == "entities":
                self._entities(annotation_file, self.dataset.graph(GRAPH_ENTITIES))
            elif annotation_file.role == "background":
                self._background(annotation_file, self.dataset.graph(GRAPH_BACKGROUND))
            else:
                self._document_file(annotation_file)
        return self.dataset

    def _links(self, annotation_file: AnnotationFile, g: Graph) -> None:
        for record in annotation_file.of("link"):
            body = self.links[record.values["entity"]]
            g.add((body, NHSKG.curatedIdentifier, Literal(record.values["entity"])))
            g.add((body, NHSKG.linkReason, Literal(record.values["reason"], lang="en")))

    # -- dates ---------------------------------------------------------------------------------------
    @staticmethod
    def _date(g: Graph, subject, predicate, record: Record, key: str, precision: bool = False) -> None:
        if key in record.values:
            literal, precision_iri, _, _ = parse_date(record.values[key], record.at(key))
            g.add((subject, predicate, literal))
            if precision:
                g.add((subject, NHSKG.datePrecision, precision_iri))

    # -- entities ------------------------------------------------------------------------------------
    def _entities(self, annotation_file: AnnotationFile, g: Graph) -> None:
        for record in annotation_file.records:
            getattr(self, "_" + record.section)(record, g)

    def _body(self, record: Record, g: Graph) -> None:
        body = self.ref(record.id)
        g.add((body, RDF.type, NHSKG[record.values["type"]]))
        if record.id in self.links:  # the register names it; the document's name is another alias
            g.add((body, SKOS.altLabel, Literal(record.values["label"], lang="en")))
        else:
            g.add((body, RDFS.label, Literal(record.values["label"], lang="en")))
            g.add((body, SKOS.prefLabel, Literal(record.values["label"], lang="en")))
        for alias in record.get("aliases", []):
            g.add((body, SKOS.altLabel, Literal(alias, lang="en")))
        self._date(g, body, SCHEMA.foundingDate, record, "start")
        self._date(g, body, SCHEMA.dissolutionDate, record, "end")
        if record.get("collective"):
            g.add((body, NHSKG.isCollective, Literal(True)))
        if "parent" in record.values:
            g.add((body, ORG.subOrganizationOf, self.ref(record.values["parent"])))
        if "ods" in record.values:
            g.add((body, NHSKG.odsCode, Literal(record.values["ods"])))
        if "gss" in record.values:
            g.add((body, NHSKG.gssCode, Literal(record.values["gss"])))
        if "wikidata" in record.values:
            g.add((body, SCHEMA.sameAs, URIRef("http://www.wikidata.org/entity/" + record.values["wikidata"])))
        if "note" in record.values:
            g.add((body, SKOS.note, Literal(record.values["note"], lang="en")))
        if "source" in record.values:
            g.add((body, DCTERMS.source, URIRef(record.values["source"])))

    def _person(self, record: Record, g: Graph) -> None:
        person = self.ref(record.id)
        name = record.values["name"]
        g.add((person, RDF.type, NHSKG.Person))
        g.add((person, RDFS.label, Literal(name, lang="en")))
        g.add((person, FOAF.name, Literal(name)))
        g.add((person, SCHEMA.name, Literal(name)))
        if "honorific" in record.values:
            g.add((person, SCHEMA.honorificPrefix, Literal(record.values["honorific"])))
        for alias in record.get("aliases", []):
            g.add((person, SKOS.altLabel, Literal(alias, lang="en")))
        if "note" in record.values:
            g.add((person, SKOS.note, Literal(record.values["note"], lang="en")))

    def _membership(self, record: Record, g: Graph) -> None:
        membership = self.ref(record.id)
        role = mint("role", record.values["role"])
        g.add((membership, RDF.type, ORG.Membership))
        g.add((membership, ORG.member, self.ref(record.values["person"])))
        g.add((membership, ORG.organization, self.ref(record.values["body"])))
        g.add((membership, ORG.role, role))
        g.add((role, RDF.type, ORG.Role))
        g.add((role, RDFS.label, Literal(record.values["role"].replace("-", " "), lang="en")))
        self._date(g, membership, DCTERMS.date, record, "date")

    # -- background ----------------------------------------------------------------------------------
    def _background(self, annotation_file: AnnotationFile, g: Graph) -> None:
        for record in annotation_file.records:
            if record.section == "act":
                act = URIRef(LEGISLATION + record.values["legislation"])
                g.add((act, RDF.type, NHSKG.Legislation))
                g.add((act, RDFS.label, Literal(record.values["title"], lang="en")))
                g.add((act, DCTERMS.title, Literal(record.values["title"], lang="en")))
                self._date(g, act, DCTERMS.date, record, "date")
                continue
            model = mint("model", record.id)
            g.add((model, RDF.type, NHSKG.CommissioningModel))
            g.add((model, SKOS.inScheme, ID["model"]))
            g.add((model, RDFS.label, Literal(record.values["label"], lang="en")))
            g.add((model, SKOS.prefLabel, Literal(record.values["label"], lang="en")))
            for alias in record.get("aliases", []):
                g.add((model, SKOS.altLabel, Literal(alias, lang="en")))
            g.add((model, NHSKG.organisationType, NHSKG[record.values["class"]]))
            self._date(g, model, SCHEMA.startDate, record, "start")
            self._date(g, model, SCHEMA.endDate, record, "end")
            for earlier in record.get("preceded_by", []):
                g.add((model, NHSKG.precededBy, mint("model", earlier)))
            for key, predicate in (("established_under", NHSKG.establishedUnder),
                                   ("abolished_under", NHSKG.abolishedUnder)):
                for act in record.get(key, []):
                    legislation = self.annotations.index[f"act:{act}"].values["legislation"]
                    g.add((model, predicate, URIRef(LEGISLATION + legislation)))
            if "source" in record.values:
                g.add((model, DCTERMS.source, URIRef(record.values["source"])))
            if "citation" in record.values:
                g.add((model, DCTERMS.bibliographicCitation, Literal(record.values["citation"], lang="en")))
            if "note" in record.values:
                g.add((model, SKOS.note, Literal(record.values["note"], lang="en")))
        g.add((ID["model"], RDF.type, SKOS.ConceptScheme))
        g.add((ID["model"], RDFS.label, Literal("commissioning models of the English NHS", lang="en")))

    # -- documents -----------------------------------------------------------------------------------
    def _source_text(self, document: Record) -> SourceText | None:
        if self.corpus_files is None:
            return None
        name = document.values["file"]
        if name not in self.corpus_files:
            raise InputError(document.at("file"), f"{name!r} is not in the corpus folder")
        source = read_document(self.corpus_files[name])
        if source.sha256 != document.values["sha256"]:
            raise InputError(document.at("sha256"), f"{name} has SHA-256 {source.sha256}, not the one recorded")
        return source

    def _document_file(self, annotation_file: AnnotationFile) -> None:
        document = annotation_file.document
        g = self.dataset.graph(document_graph(document.id))
        source = self._source_text(document)
        doc = self.ref(document.id)
        v = document.values
        g.add((doc, RDF.type, GENRE_CLASS[v["genre"]]))
        g.add((doc, DCTERMS.title, Literal(v["title"], lang="en")))
        g.add((doc, RDFS.label, Literal(v["title"], lang="en")))
        g.add((doc, NHSKG.sha256, Literal(v["sha256"])))
        g.add((doc, NHSKG.fileName, Literal(v["file"])))
        self._date(g, doc, DCTERMS.date, document, "date", precision=True)
        if "creator" in v:
            g.add((doc, DCTERMS.creator, self.ref(v["creator"])))
        if "publisher" in v:
            g.add((doc, DCTERMS.publisher, self.ref(v["publisher"])))
        if "url" in v:
            g.add((doc, SCHEMA.url, URIRef(v["url"])))
        for mentioned in v.get("mentions", []):
            g.add((doc, SCHEMA.mentions, self.ref(mentioned)))
        if source is not None:
            g.add((doc, NHSKG.characterCount, Literal(len(source.text), datatype=XSD.nonNegativeInteger)))
        for record in annotation_file.records:
            if record.section in ("body", "person", "membership"):
                getattr(self, "_" + record.section)(record, g)
                g.add((self.ref(record.id), PROV.wasDerivedFrom, doc))
            elif record.section == "change":
                self._change(record, doc, g, source)
            elif record.section == "relation":
                self._relation(record, doc, g, source)
            elif record.section == "claim":
                self._claim(record, document, doc, g, source)

    def _anchor(self, record: Record, subject: URIRef, doc: URIRef, g: Graph, source: SourceText | None) -> None:
        if "quote" not in record.values:
            return
        v = record.values
        anchor = Anchor(v["quote"], v.get("prefix", ""), v.get("suffix", ""), v["start"], v["end"])
        if source is None:
            check_anchor_shape(anchor, record.at("quote"))
        else:
            anchor = verify_anchor(source, anchor, record.at("quote"))
        quote = URIRef(f"{subject}#quote")
        position = URIRef(f"{subject}#position")
        g.add((subject, NHSKG.quoteSelector, quote))
        g.add((subject, NHSKG.positionSelector, position))
        g.add((subject, OA.hasSelector, quote))
        g.add((subject, OA.hasSelector, position))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(anchor.exact)))
        g.add((quote, OA.prefix, Literal(anchor.prefix)))
        g.add((quote, OA.suffix, Literal(anchor.suffix)))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(anchor.start, datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, Literal(anchor.end, datatype=XSD.nonNegativeInteger)))
        for selector in (quote, position):
            g.add((selector, DCTERMS.source, doc))

    def _change(self, record: Record, doc: URIRef, g: Graph, source) -> None:
        change = self.ref(record.id)
        v = record.values
        g.add((change, RDF.type, CHANGE_CLASS[v["kind"]]))
        g.add((change, RDFS.label, Literal(v["label"], lang="en")))
        g.add((change, NHSKG.status, STATUS[v["status"]]))
        self._date(g, change, DCTERMS.date, record, "date", precision=True)
        for body in v.get("from", []):
            g.add((change, ORG.originalOrganization, self.ref(body)))
        for body in v.get("into", []):
            g.add((change, ORG.resultingOrganization, self.ref(body)))
        for key, predicate in (("body", NHSKG.renamedOrganization if v["kind"] == "renaming"
                                else NHSKG.transferredOrganization),
                               ("from_parent", NHSKG.fromParent), ("to_parent", NHSKG.toParent)):
            if key in v:
                g.add((change, predicate, self.ref(v[key])))
        if "old_name" in v:
            g.add((change, NHSKG.oldName, Literal(v["old_name"], lang="en")))
        if "new_name" in v:
            g.add((change, NHSKG.newName, Literal(v["new_name"], lang="en")))
        if "note" in v:
            g.add((change, SKOS.note, Literal(v["note"], lang="en")))
        g.add((change, DCTERMS.source, doc))
        self._anchor(record, change, doc, g, source)

    def _relation(self, record: Record, doc: URIRef, g: Graph, source) -> None:
        relation = self.ref(record.id)
        v = record.values
        prop = RELATION_PROPERTY[v["kind"]]
        subject, obj = self.ref(v["subject"]), self.ref(v["object"])
        # The direct triple states only what is or was so; what was proposed, predicted or rejected
        # lives in the qualified form alone, where its status says how far it got.
        if v["status"] == "done":
            g.add((subject, prop, obj))
        g.add((relation, RDF.type, NHSKG.OversightRelationship))
        g.add((relation, RDFS.label, Literal(v["label"], lang="en")))
        g.add((relation, NHSKG.overseer, subject))
        g.add((relation, NHSKG.overseen, obj))
        g.add((relation, NHSKG.relationProperty, prop))
        g.add((relation, NHSKG.status, STATUS[v["status"]]))
        self._date(g, relation, SCHEMA.startDate, record, "since")
        self._date(g, relation, SCHEMA.endDate, record, "until")
        if "note" in v:
            g.add((relation, SKOS.note, Literal(v["note"], lang="en")))
        g.add((relation, DCTERMS.source, doc))
        self._anchor(record, relation, doc, g, source)

    def _claim(self, record: Record, document: Record, doc: URIRef, g: Graph, source) -> None:
        claim = self.ref(record.id)
        v = record.values
        for claim_type in v["type"]:
            g.add((claim, RDF.type, CLAIM_CLASS[claim_type]))
        g.add((claim, PROV.wasAttributedTo, self.ref(v["claimant"])))
        if "reported_by" in v:
            g.add((claim, NHSKG.reportedBy, self.ref(v["reported_by"])))
        for about in v["about"]:
            g.add((claim, SCHEMA.about, self.ref(about)))
        g.add((claim, NHSKG.summary, Literal(v["summary"], lang="en")))
        g.add((claim, RDFS.label, Literal(v["summary"], lang="en")))
        g.add((claim, DCTERMS.source, doc))
        g.add((claim, SCHEMA.isBasedOn, doc))
        when = record if "date" in v else (document if "date" in document.values else None)
        if when is not None:
            self._date(g, claim, DCTERMS.date, when, "date", precision=True)
        for i, quantity in enumerate(v.get("quantity", []), 1):
            add_quantity(g, claim, i, quantity)
        if "expectation" in v:
            self._expectation(claim, v["expectation"], g)
        self._anchor(record, claim, doc, g, source)

    @staticmethod
    def _expectation(claim: URIRef, expectation: dict, g: Graph) -> None:
        node = URIRef(f"{claim}#expectation")
        g.add((claim, NHSKG.hasExpectation, node))
        g.add((node, RDF.type, NHSKG.Expectation))
        g.add((node, NHSKG.expectationQuery, Literal(expectation["query"])))
        for key, value in sorted(expectation.get("params", {}).items()):
            g.add((node, NHSKG.expectationParameter, Literal(f"{key}={value}")))
        for key in ("period", "measure", "comparison"):
            g.add((node, NHSKG[key], Literal(expectation[key])))
        g.add((node, NHSKG.target, Literal(expectation["target"])))
        if "note" in expectation:
            g.add((node, SKOS.note, Literal(expectation["note"], lang="en")))


def add_quantity(g: Graph, claim: URIRef, index: int, quantity: dict) -> URIRef:
    """The `index`th amount or count a claim names, as curated (`quantity` in data/documents) and as extracted:
    a schema.org MonetaryAmount (with a currency) or QuantitativeValue, with its unit and bound if given."""
    node = URIRef(f"{claim}#quantity-{index}")
    g.add((claim, NHSKG.namesQuantity, node))
    g.add((node, RDF.type, SCHEMA.MonetaryAmount if "currency" in quantity else SCHEMA.QuantitativeValue))
    value = quantity["value"]
    g.add((node, SCHEMA.value, Literal(value, datatype=XSD.decimal if isinstance(value, float) else XSD.integer)))
    if "currency" in quantity:
        g.add((node, SCHEMA.currency, Literal(quantity["currency"])))
    if "unit" in quantity:
        g.add((node, SCHEMA.unitText, Literal(quantity["unit"])))
    if "bound" in quantity:
        g.add((node, NHSKG.bound, Literal(quantity["bound"])))
    return node
