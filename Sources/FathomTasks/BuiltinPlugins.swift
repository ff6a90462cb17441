import FathomCore

/// Every built-in plugin kind. A new kind is added here and gets a manifest under Tasks/ (the drift test checks).
public enum BuiltinPlugins {
    public static let all: [any TaskPlugin.Type] = [
        NeedleInHaystack.self,
        VariableTracking.self,
        CommonWords.self,
        FrequentWords.self,
        JSONKeyValue.self,
        FictionalQA.self,
        HoloBench.self,
        PackedQuestions.self,
        HelmetRAG.self,
        HelmetRerank.self,
        HelmetCitation.self,
        HelmetLongQA.self,
        HelmetSummarization.self,
        HelmetICL.self,
        HTMLToTSV.self,
        PseudoToCode.self,
        PathTraversal.self,
        ToMTracking.self,
        Countdown.self,
        TravelPlanning.self,
    ]
}
